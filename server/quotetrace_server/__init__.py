"""quotetrace server: ingest -> nlp -> quotes -> entities -> attribution -> index -> verify -> api.

Each subpackage is one stage of the data's path; a stage imports only from the
stages before it. Dataclasses named in each stage's `model.py` are the seams.
"""

__version__ = "0.1.0"
