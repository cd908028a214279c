"""Imports every domain's models so that Base.metadata knows all tables (for Alembic)."""

from lantern.access import models as access_models
from lantern.audit import models as audit_models
from lantern.db.base import Base
from lantern.duties import models as duty_models
from lantern.events import models as event_models
from lantern.people import models as people_models

__all__ = ["Base", "access_models", "audit_models", "duty_models", "event_models", "people_models"]
