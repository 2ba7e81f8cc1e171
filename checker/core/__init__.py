"""The core: a proposal file in, a Report out.

loading (safe YAML with positions) → validation (the Proposal model) → facts (the rule engine's
input) → engine (durable-rules, the only module that imports it) → pipeline (findings, safeguards,
likelihood, outcome) → findings (the Report every output renders). The rule catalogue
(catalogue, conditions, fact_schema, vocabulary, coverage) is loaded and validated once and cached.
Nothing here imports commands/, reporters/, shell/ or the CLI.
"""
