"""A database with no connection to give answers 503 with Retry-After, not 500.

On PostgreSQL the pool is really exhausted: its size is set to one and another thread holds
that connection, so the request waits out the pool timeout. On SQLite another connection
really holds the write lock past the busy timeout ("database is locked"). Nothing is mocked,
and nothing is written.
"""

import sqlite3
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections
from django.test import Client

from zonedesk.orgs.models import ApiToken
from zonedesk.orgs.services import create_token
from zonedesk.projects.models import Project

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PROJECT = {
    "name": "新建项目",
    "category": "industry",
    "nature": "new",
    "total_investment": "100",
}


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("a connection pool exists only on PostgreSQL")


def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock")


@contextmanager
def the_only_connection_held_elsewhere():
    """The pool shrunk to one connection, held by another thread until the block ends."""
    options = connection.settings_dict["OPTIONS"]
    saved = options["pool"]
    connection.close()
    connection.close_pool()
    options["pool"] = {"min_size": 1, "max_size": 1, "timeout": 0.5}
    held, release = threading.Event(), threading.Event()

    def hold():
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
        held.set()
        release.wait()
        connections["default"].close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(timeout=30)
        yield
    finally:
        release.set()
        holder.join()
        # Later tests get a pool of the configured size again.
        connection.close()
        connection.close_pool()
        options["pool"] = saved


@contextmanager
def the_server_refusing_connections():
    """Without a pool, connecting as a role whose CONNECTION LIMIT is 0: PostgreSQL refuses
    the connection as it does past max_connections ("too many connections for role")."""
    settings_dict = connection.settings_dict
    saved_user, saved_pool = settings_dict["USER"], settings_dict["OPTIONS"]["pool"]
    role = f"{settings_dict['NAME']}_limited"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
        cursor.execute(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 0')
    connection.close()
    connection.close_pool()
    settings_dict["USER"] = role
    del settings_dict["OPTIONS"]["pool"]
    try:
        yield
    finally:
        connection.close()
        settings_dict["USER"], settings_dict["OPTIONS"]["pool"] = saved_user, saved_pool
        with connection.cursor() as cursor:
            cursor.execute(f'DROP ROLE "{role}"')


@contextmanager
def sqlite_write_lock_held_elsewhere():
    """Another connection holds the write lock; ours gives up after a short busy timeout."""
    options = connection.settings_dict["OPTIONS"]
    saved = options["timeout"]
    connection.close()
    options["timeout"] = 0.2
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.rollback()
        other.close()
        # Later tests must not inherit a connection with the short timeout.
        connection.close()
        options["timeout"] = saved


def api_client(user):
    return Client(headers={"Authorization": f"Bearer {create_token(user, '测试')[1]}"})


def assert_busy_json(response, detail):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": detail}


def assert_busy_page(response, text):
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert text in response.content.decode()


ZH = "系统繁忙：数据库暂时无法处理请求，请稍后重试。"
EN = "The system is busy: the database cannot take the request right now. Please try again shortly."


# --- PostgreSQL: the pool is exhausted ----------------------------------------------------


def test_an_api_read_answers_503_json_when_the_pool_has_no_connection(world):
    postgresql_only()
    client = api_client(world.owner)
    with the_only_connection_held_elsewhere():
        response = client.get("/api/v1/projects")
    assert_busy_json(response, ZH)


def test_an_api_write_answers_503_and_writes_nothing_when_the_pool_has_no_connection(world):
    postgresql_only()
    client = api_client(world.owner)
    with the_only_connection_held_elsewhere():
        response = client.post(
            "/api/v1/projects", {**NEW_PROJECT, "org_id": world.zone.pk}, "application/json"
        )
    assert_busy_json(response, ZH)
    assert not Project.objects.exists()


def test_a_page_answers_a_503_page_when_the_pool_has_no_connection(world, client_for):
    postgresql_only()
    client = client_for(world.owner)
    with the_only_connection_held_elsewhere():
        response = client.get("/projects/")
    assert_busy_page(response, ZH)


def test_the_503_speaks_english_to_a_user_who_chose_it(world, client_for):
    postgresql_only()
    api, page = api_client(world.owner), client_for(world.owner)
    api.cookies["django_language"] = page.cookies["django_language"] = "en"
    with the_only_connection_held_elsewhere():
        assert_busy_json(api.get("/api/v1/projects"), EN)
        assert_busy_page(page.get("/projects/"), EN)


def test_the_same_requests_answer_normally_once_the_connection_is_back(world, client_for):
    """The 503s above come from the exhausted pool, not from the requests themselves."""
    postgresql_only()
    client = api_client(world.owner)
    with the_only_connection_held_elsewhere():
        assert client.get("/api/v1/projects").status_code == 503
    assert client.get("/api/v1/projects").status_code == 200
    assert client_for(world.owner).get("/projects/").status_code == 200


def test_an_api_request_answers_503_when_the_server_refuses_connections(world):
    """The original defect's "too many clients": the configuration without a pool."""
    postgresql_only()
    client = api_client(world.owner)
    with the_server_refusing_connections():
        response = client.get("/api/v1/projects")
    assert_busy_json(response, ZH)


# --- SQLite: the write lock is held past the busy timeout ---------------------------------


def test_an_api_write_answers_503_json_when_sqlite_stays_locked(world):
    sqlite_only()
    client = api_client(world.owner)
    with sqlite_write_lock_held_elsewhere():
        response = client.post(
            "/api/v1/projects", {**NEW_PROJECT, "org_id": world.zone.pk}, "application/json"
        )
    assert_busy_json(response, ZH)
    assert not Project.objects.exists()


def test_a_form_post_answers_a_503_page_when_sqlite_stays_locked(world, client_for):
    sqlite_only()
    client = client_for(world.owner)
    with sqlite_write_lock_held_elsewhere():
        response = client.post("/profile/", {"name": "数据同步"})
    assert_busy_page(response, ZH)
    assert not ApiToken.objects.filter(user=world.owner).exists()


def test_the_api_answers_503_with_debug_on_too(world, settings):
    """With DEBUG on, django-ninja answers unhandled errors itself, before any middleware."""
    settings.DEBUG = True
    client = api_client(world.owner)
    busy = (
        sqlite_write_lock_held_elsewhere
        if connection.vendor == "sqlite"
        else the_only_connection_held_elsewhere
    )
    with busy():
        response = client.post(
            "/api/v1/projects", {**NEW_PROJECT, "org_id": world.zone.pk}, "application/json"
        )
    assert_busy_json(response, ZH)


def test_other_sqlite_errors_stay_errors(world, client_for):
    """Only "no connection / locked" is unavailability; a missing table is a bug, not a 503."""
    sqlite_only()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE orgs_apitoken RENAME TO orgs_apitoken_away")
    try:
        with pytest.raises(Exception, match="no such table"):
            client_for(world.owner).post("/profile/", {"name": "数据同步"})
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE orgs_apitoken_away RENAME TO orgs_apitoken")
