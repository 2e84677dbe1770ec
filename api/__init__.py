"""The service around nlp/, index/ and training/: storage, use cases, HTTP, the command line.

Layers (imports run downward only): `http/`, `cli/` -> `bootstrap.py` (the composition root) ->
`services/` (use cases, no FastAPI or argparse) -> `storage/` (database, stored files).
"""

import os

# Nothing may reach for a model hub at run time; every model is loaded from local files.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
