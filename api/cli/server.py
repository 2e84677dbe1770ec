"""Commands that serve: the web API and page (serve, demo) and the job worker."""

from __future__ import annotations

import argparse
from importlib.resources import files
from pathlib import Path
from typing import Any

from api.cli.common import CommandError, services


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


def command_worker(arguments: argparse.Namespace) -> None:
    """Run queued jobs (retrain, reclassify, reembed, import) until stopped: the production
    shape's worker."""
    from api.services.queue import run_worker
    from api.settings import Settings

    settings = Settings()
    if not settings.redis_url:
        raise CommandError("the worker reads its jobs from Redis: set NEEDMATCH_REDIS_URL "
                           "(and the servers' too, so that they queue jobs instead of running them)")
    loaded = services()
    follower = loaded.follower
    if follower is not None:  # the worker's own model follows promotions too
        follower.start(settings.model_poll_seconds)
        follower.listen(settings.redis_url)
    print(f"worker ready: model {loaded.model.version}, queue on {settings.redis_url}", flush=True)
    run_worker(loaded, settings.redis_url, burst=arguments.burst,
               after=follower.refresh if follower is not None else None)


def register(commands: Any) -> None:
    """Add this group's commands to the parser."""
    for name, handler, summary in (("serve", command_serve, "serve the web API"),
                                   ("demo", command_demo, "load demo data and accounts, then serve")):
        command = commands.add_parser(name, help=summary)
        command.add_argument("--host", default="127.0.0.1")
        command.add_argument("--port", type=int, default=8000)
        command.set_defaults(handler=handler)
    worker = commands.add_parser(
        "worker", help="run queued jobs (retrain, reclassify, reembed, import) from Redis")
    worker.add_argument("--burst", action="store_true", help="stop once the queue is empty")
    worker.set_defaults(handler=command_worker)
