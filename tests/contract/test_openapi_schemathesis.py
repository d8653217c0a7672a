"""Schemathesis against the served OpenAPI document (issue 14): every operation, with
data generated from the schema (valid and invalid), anonymous and with each role's API
token. No server error, every answer as documented (status, content type, body schema),
and the schema as strict as the validation: what the schema forbids is refused (4xx).

The server is a real `etalage serve` on a free loopback port (SQLite, demo data). The
number of examples per operation is bounded (`EXAMPLES`), derandomised under CI."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from support import ROOT, free_port, wait_for_port

from etalage.accounts.tokens import create_token
from etalage.accounts.users import create_user
from etalage.db.session import make_engine

PASSWORD = "Paars-Olifant-Regent-42"
EXAMPLES = 30
ROLES = ("anoniem", "aanbieder", "toegang", "beheerder")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("contract")
    env = {
        **os.environ,
        "ETALAGE_DATABASE_URL": f"sqlite:///{tmp / 'etalage.db'}",
        "ETALAGE_SECRET_KEY": "contract-test-" + uuid.uuid4().hex,
        "ETALAGE_ALLOWED_HOSTS": "127.0.0.1",
        "ETALAGE_VAR_DIR": str(tmp),
    }
    env.pop("ETALAGE_MEILISEARCH_URL", None)
    for args in (("db", "upgrade"), ("demo", "load")):
        done = subprocess.run([sys.executable, "-m", "etalage.cli", *args], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stderr[-1000:]
    engine = make_engine(env["ETALAGE_DATABASE_URL"])
    from sqlalchemy import select

    from etalage.db.models import Provider
    from etalage.db.session import transaction

    with transaction(engine) as session:
        kvks = list(session.scalars(select(Provider.kvk).order_by(Provider.kvk).limit(3)))
    headers: dict[str, dict[str, str]] = {"anoniem": {}}
    for role in ROLES[1:]:
        email = f"{role}@contract.example"
        create_user(engine, email, role, PASSWORD, kvks if role == "aanbieder" else [])
        headers[role] = {"Authorization": f"Bearer {create_token(engine, email, role)[1]}"}
    engine.dispose()
    port = free_port()
    log = (tmp / "serve.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "etalage.cli", "serve", "--port", str(port)],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for_port(port, timeout=60)
        base = f"http://127.0.0.1:{port}"
        yield {"base": base, "headers": headers, "log": tmp / "serve.log"}
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def _operations(base: str) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{base}/api/schema/openapi.json")
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("role", ROLES)
def test_every_operation_keeps_its_contract(
    served: dict[str, Any], role: str, mode: GenerationMode
) -> None:
    """Positive: requests the schema allows; negative: requests it forbids, which must be
    refused (the schema is as strict as the checks)."""
    base, headers = served["base"], served["headers"][role]
    operations = _operations(base)
    assert len(operations) >= 8
    failures: list[str] = []
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=bool(os.environ.get("CI")),
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case: Any) -> None:
            case.call_and_validate(base_url=base, headers=headers, checks=CHECKS, timeout=30)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # collect every failure, report all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:3000])
    assert not failures, "\n\n".join(failures)
