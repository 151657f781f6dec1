"""The engine: ingest (NLP, attribution, index) and look-up, with no transport in it."""
