"""Every table of the chamber, registered on one metadata (for migrations and backups)."""

from __future__ import annotations

from sqlalchemy import MetaData
from sqlmodel import SQLModel

from chamber import keys
from chamber.accounts import models as accounts
from chamber.alerts import models as alerts
from chamber.assemblies import models as assemblies
from chamber.audit import models as audit
from chamber.bodies import models as bodies
from chamber.business import models as business
from chamber.divisions import models as divisions
from chamber.elections import models as elections
from chamber.jury import expert_models as experts
from chamber.jury import models as jury
from chamber.limits import models as limits
from chamber.membership import models as membership
from chamber.notices import models as notices
from chamber.officers import models as officers
from chamber.outbox import models as outbox
from chamber.register import models as register
from chamber.rotas import models as rotas
from chamber.routes import models as routes
from chamber.sittings import models as sittings

MODULES = (keys, accounts, alerts, audit, bodies, business, divisions, elections, membership, rotas,
           sittings, jury, experts, register, outbox, limits, assemblies, officers, routes, notices)


def metadata() -> MetaData:
    """The metadata every table module registers on."""
    return SQLModel.metadata
