"""The knowledge layer: plans, the answering engine and ingest (imports only core)."""
