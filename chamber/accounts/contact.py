"""Where an account is e-mailed its notices: an address of its own, or its elector's on the
register, and whether it wants them e-mailed at all."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, select

from chamber.accounts.models import Account
from chamber.db import fetch
from chamber.errors import Invalid
from chamber.register.models import Elector

ADDRESS = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")


@dataclass(frozen=True, slots=True)
class Contact:
    own: str  # the account's own address ("" for none)
    register: str  # the elector's address on the register ("" for none)
    notices: bool  # notices are e-mailed

    @property
    def address(self) -> str:
        """Where notices go ("" for nowhere)."""
        return self.own or self.register


def contact(session: Session, account_id: int) -> Contact:
    found = fetch(session, Account, account_id, "account")
    register = session.exec(select(Elector.email).where(Elector.account_id == account_id)).first()
    return Contact(found.email or "", register or "", found.email_notices)


def set_contact(session: Session, account_id: int, email: str, notices: bool) -> Contact:
    """Keep an account's own address ("" to use the register's, if any) and whether its
    notices are e-mailed; an address that is not one is `Invalid` naming ``email``."""
    address = email.strip()
    if address and (len(address) > 254 or not ADDRESS.fullmatch(address)):
        raise Invalid(f"email: {address[:60]!r} is not an e-mail address (name@example.org)")
    found = fetch(session, Account, account_id, "account")
    found.email, found.email_notices = address or None, notices
    return contact(session, account_id)
