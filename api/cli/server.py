"""Commands that serve the web API and page: serve, demo."""

from __future__ import annotations

import argparse
from importlib.resources import files
from pathlib import Path
from typing import Any

from api.cli.common import services


def command_serve(arguments: argparse.Namespace) -> None:
    """Serve the API and the web page."""
    import uvicorn

    from api.http.app import create_app

    # The models load after the server starts listening: /healthz answers within seconds,
    # /readyz once they are loaded.
    uvicorn.run(create_app(background=True), host=arguments.host, port=arguments.port,
                log_level="warning")


def command_demo(arguments: argparse.Namespace) -> None:
    """Load demo responders and demo accounts, print the keys, then serve."""
    from api.services.accounts import create_user
    from api.services.responders import category_inference, read_profiles, upsert_responders

    demo = Path(str(files("api") / "demo" / "responders.jsonl"))
    loaded = services()
    created, updated = upsert_responders(loaded.sessions, read_profiles(demo),
                                         category_inference(loaded.model), show_progress=True)
    print(f"demo responders: {created} new, {updated} updated")
    accounts = [("Demo Shelter (advocate)", "poster", None),
                ("Demo Legal Aid (responder)", "responder", "demo-r-001"),
                ("Demo Network (admin)", "admin", None)]
    print(f"open http://{arguments.host}:{arguments.port}/ and sign in with one of these keys:")
    for organization, role, responder_id in accounts:
        _, key = create_user(loaded.sessions, organization, role, responder_id,
                             contact_email="intake@demo.example.org")
        print(f"  {role:<10} {key}")
    command_serve(arguments)


def register(commands: Any) -> None:
    """Add this group's commands to the parser."""
    for name, handler, summary in (("serve", command_serve, "serve the web API"),
                                   ("demo", command_demo, "load demo data and accounts, then serve")):
        command = commands.add_parser(name, help=summary)
        command.add_argument("--host", default="127.0.0.1")
        command.add_argument("--port", type=int, default=8000)
        command.set_defaults(handler=handler)
