"""Commands of accounts: users create."""

from __future__ import annotations

import argparse
from typing import Any

from api.cli.common import CommandError, open_sessions


def command_users(arguments: argparse.Namespace) -> None:
    """Create a user; its API key is printed once, alone on the last line."""
    from api.services.accounts import AccountError, create_user

    try:
        user, key = create_user(open_sessions(), arguments.org, arguments.role,
                                arguments.responder_id, arguments.contact_email,
                                arguments.contact_phone)
    except AccountError as error:
        raise CommandError(str(error)) from None
    print(f"created {user.role} user {user.id} in organisation '{arguments.org}'; "
          "the key is shown once:")
    print(key)


def register(commands: Any) -> None:
    """Add this group's commands to the parser."""
    users = commands.add_parser("users", help="create accounts")
    users.add_argument("action", choices=["create"])
    users.add_argument("--org", required=True)
    users.add_argument("--role", required=True, choices=["poster", "responder", "admin"])
    users.add_argument("--responder-id")
    users.add_argument("--contact-email", help="shared with a responder after an accepted offer")
    users.add_argument("--contact-phone")
    users.set_defaults(handler=command_users)
