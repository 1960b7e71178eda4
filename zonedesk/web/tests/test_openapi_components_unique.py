"""The OpenAPI document describes each operation with its own schemas: components that share
a class name (two `BlockerIn`, five `Kind`, two `StageIn`) no longer overwrite each other,
and every error status an operation can answer is declared with the error schema."""

import pytest
from django.test import Client
from ninja.schema import NinjaGenerateJsonSchema

from zonedesk.api import api
from zonedesk.leads.models import Visit
from zonedesk.meetings.models import Meeting


@pytest.fixture(scope="module")
def doc():
    return Client().get("/api/v1/openapi.json").json()


def operations():
    for router in api._get_bound_routers():
        for path_view in router.path_operations.values():
            yield from path_view.operations


def inline(schema, defs):
    """The schema with every $ref replaced by what it names, titles dropped (they are the
    class names, which the document qualifies on purpose)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return inline(defs[schema["$ref"].rsplit("/", 1)[1]], defs)
        return {
            k: inline(v, defs)
            for k, v in schema.items()
            if not (k == "title" and isinstance(v, str))
        }
    if isinstance(schema, list):
        return [inline(v, defs) for v in schema]
    return schema


def on_its_own(model, mode, by_alias=True):
    """The single property of ninja's wrapper model, as pydantic describes it in isolation."""
    schema = model.model_json_schema(
        ref_template="#/$defs/{model}",
        schema_generator=NinjaGenerateJsonSchema,
        mode=mode,
        by_alias=by_alias,
    )
    [prop] = schema["properties"].values()
    return inline(prop, schema.get("$defs", {}))


def in_the_document(schema, doc):
    return inline(schema, doc["components"]["schemas"])


def by_operation_id(doc):
    return {op["operationId"]: op for ops in doc["paths"].values() for op in ops.values()}


def test_every_body_and_response_is_documented_as_its_own_model_describes_it(doc):
    documented = by_operation_id(doc)
    checked = 0
    for op in operations():
        entry = documented[api.get_openapi_operation_id(op)]
        for model in op.models:
            if model.__ninja_param_source__ == "body":
                body = entry["requestBody"]["content"]["application/json"]["schema"]
                assert in_the_document(body, doc) == on_its_own(model, "validation"), entry
                checked += 1
        for status, model in op.response_models.items():
            if model is not None:
                schema = entry["responses"][str(status)]["content"]["application/json"]["schema"]
                assert in_the_document(schema, doc) == on_its_own(
                    model, "serialization", by_alias=op.by_alias
                ), entry
                checked += 1
    assert checked > 100


def test_post_blockers_documents_the_supervision_fields(doc):
    body = doc["paths"]["/api/v1/blockers"]["post"]["requestBody"]["content"]["application/json"]
    schema = in_the_document(body["schema"], doc)

    assert {"org_id", "title", "days", "unit_id", "deadline"} <= set(schema["properties"])
    assert set(schema["required"]) == {"org_id", "title", "unit_id"}


def test_a_decisions_blocker_keeps_its_own_smaller_body(doc):
    path = "/api/v1/meetings/{meeting_id}/decisions/{decision_id}/blocker"
    body = doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]

    assert set(in_the_document(body, doc)["properties"]) == {"unit_id", "deadline", "working_days"}


def test_same_named_enums_keep_their_own_values(doc):
    schemas = doc["components"]["schemas"]

    assert schemas["Meeting.Kind"]["enum"] == list(Meeting.Kind.values)
    assert schemas["Visit.Kind"]["enum"] == list(Visit.Kind.values)
    assert "Kind" not in schemas


def test_the_two_stage_bodies_are_two_components(doc):
    def stage_body(path):
        return doc["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]

    project = stage_body("/api/v1/projects/{project_id}/stage")
    lead = stage_body("/api/v1/leads/{lead_id}/stage")
    assert (project["$ref"], lead["$ref"]) == (
        "#/components/schemas/projects.StageIn",
        "#/components/schemas/leads.StageIn",
    )
    assert "amount" in in_the_document(lead, doc)["properties"]
    assert "version" in in_the_document(project, doc)["properties"]


def test_an_input_and_an_output_are_named_apart_only_where_they_differ(doc):
    schemas = doc["components"]["schemas"]

    # TargetIO reads and answers its bounded figures alike: one component serves both.
    assert "TargetIO" in schemas
    assert "TargetIO-Input" not in schemas and "TargetIO-Output" not in schemas
    for name in schemas:
        if name.endswith("-Input"):
            twin = name.removesuffix("-Input") + "-Output"
            assert twin in schemas and schemas[name] != schemas[twin]


def test_every_reference_resolves(doc):
    names = set(doc["components"]["schemas"])
    refs = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.add(node["$ref"].removeprefix("#/components/schemas/"))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    assert refs <= names


ERROR = {"$ref": "#/components/schemas/ErrorOut"}


def test_every_operation_declares_its_error_statuses(doc):
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            responses = op["responses"]
            for status in ("400", "401", "403", "404", "500", "503"):
                assert responses[status]["content"]["application/json"]["schema"] == ERROR, (
                    method,
                    path,
                    status,
                )
            if op.get("requestBody"):
                assert "413" in responses and "422" in responses, (method, path)
            if method in ("post", "put", "patch", "delete"):
                conflict = responses["409"]["content"]["application/json"]["schema"]
                assert conflict == {"$ref": "#/components/schemas/ConflictOut"}


def test_the_error_schema_matches_what_the_api_answers(doc, world):
    schema = doc["components"]["schemas"]["ErrorOut"]
    assert schema["required"] == ["detail"]
    assert set(schema["properties"]) == {"detail", "errors"}
