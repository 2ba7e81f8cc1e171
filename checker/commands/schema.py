"""The JSON Schema of proposal files, generated from the pydantic model (never hand-edited)."""
from __future__ import annotations

import json

from checker.core.proposal import Proposal

SCHEMA_ID = "https://shingikai-checker.invalid/proposal.schema.json"


def schema_text() -> str:
    schema = Proposal.model_json_schema(by_alias=True)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
