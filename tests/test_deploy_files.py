"""deploy/ is a working description of production (issue 14): the environment template names every setting
the code reads, and with its CHANGE-ME secrets filled in, `check --deploy` is clean (a real process)."""
import configparser
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
# Read by the code but not a deployment's choice: set by the test harness or by a systemd unit itself.
NOT_SETTINGS = {"DJANGO_SETTINGS_MODULE", "KYCUONG_PORT", "KYCUONG_WEB_WORKERS"}


def _template(commented: bool = True) -> dict[str, str]:
    """The settings the template names; `commented=False`: only those it sets (not the `# NAME=` examples)."""
    values = {}
    for line in (DEPLOY / "kycuong.env.example").read_text().splitlines():
        match = re.match(r"^(#?)\s*([A-Z][A-Z0-9_]+)=(.*)$", line)
        if match and (commented or not match[1]):
            values[match[2]] = match[3].strip().strip('"')
    return values


def _read_by_code() -> set[str]:
    names = set()
    for path in (ROOT / "kycuong").rglob("*.py"):
        names |= set(re.findall(r"(?:environ\.get|environ\[|env_bool|getenv)\(?\s*\(?\"([A-Z][A-Z0-9_]+)\"",
                                path.read_text()))
    return names - NOT_SETTINGS


def test_the_environment_template_names_every_setting():
    missing = sorted(_read_by_code() - set(_template()))
    assert not missing, f"add to deploy/kycuong.env.example: {missing}"


def test_the_template_with_its_secrets_filled_in_passes_check_deploy(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KYCUONG_") and k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    for name, value in _template(commented=False).items():
        env[name] = secrets.token_urlsafe(48) if "CHANGE-ME" in value else value
    # The check needs no server: a scratch SQLite file and var dir instead of the template's PostgreSQL.
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", KYCUONG_VAR_DIR=str(tmp_path),
               KYCUONG_STATIC_ROOT=str(tmp_path / "static"))
    done = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues" in done.stdout


def test_the_units_start_what_exists():
    for unit in (DEPLOY / "systemd").glob("*.service"):
        parser = configparser.ConfigParser(strict=False, interpolation=None)
        parser.read_string(unit.read_text())
        assert parser["Service"]["EnvironmentFile"] == "/etc/kycuong/kycuong.env", unit.name
        assert "/opt/kycuong/current/.venv/bin/" in parser["Service"]["ExecStart"], unit.name
    web = (DEPLOY / "systemd" / "kycuong-web@.service").read_text()
    assert "deploy/gunicorn.conf.py kycuong.wsgi:application" in web and (DEPLOY / "gunicorn.conf.py").exists()
    nginx = (DEPLOY / "nginx" / "kycuong.conf").read_text()
    for port in ("8001", "8002"):  # deploy.sh's default rolling restart covers the servers nginx knows
        assert f"127.0.0.1:{port}" in nginx and port in (DEPLOY / "deploy.sh").read_text()


def test_the_gunicorn_settings_load_and_bind_loopback():
    namespace = {}
    exec(compile((DEPLOY / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)
    assert namespace["bind"].startswith("127.0.0.1:") and namespace["workers"] >= 1
    assert namespace["graceful_timeout"] < namespace["timeout"]
