"""Kept empty until the import engine's rewrite: each domain app registers its import kinds
with `engine.register` in its AppConfig.ready() (docs/design.md), and tasks.py still imports
this module."""
