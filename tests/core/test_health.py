"""/healthz and /readyz (operations): alive without dependencies; ready only when every dependency answers."""
import pytest

from kycuong.core import health


def test_healthz_touches_no_dependency(client):
    # No django_db mark: any database access here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ready_when_database_migrations_cache_and_queue_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok", "cache": "ok",
                                                          "jobs": "ok"}}


@pytest.mark.django_db
def test_readyz_answers_503_and_names_the_failing_check(client, monkeypatch):
    def broken():
        raise OSError("connection refused")

    monkeypatch.setitem(health.CHECKS, "jobs", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "cache": "ok", "jobs": "error"}


@pytest.mark.django_db
def test_readyz_finds_an_unapplied_migration(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(health, "_migrations_ok_at", 0.0)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("core", "9999_pending")])
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json()["checks"]["migrations"] == "error"


def test_health_endpoints_refuse_writes(client):
    assert client.post("/healthz").status_code == 405
