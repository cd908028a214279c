"""Imports every domain's models so that Base.metadata knows all tables (for Alembic)."""

from lantern.access import models as access_models
from lantern.alerts import models as alert_models
from lantern.assessments.prebirth import models as prebirth_models
from lantern.audit import models as audit_models
from lantern.casework import models as casework_models
from lantern.chronology import models as chronology_models
from lantern.db.base import Base
from lantern.duties import models as duty_models
from lantern.events import models as event_models
from lantern.family import models as family_models
from lantern.identity import models as identity_models
from lantern.people import models as people_models
from lantern.plans import models as plan_models
from lantern.register import models as register_models
from lantern.reviews import models as review_models

__all__ = [
    "Base",
    "access_models",
    "alert_models",
    "audit_models",
    "casework_models",
    "chronology_models",
    "duty_models",
    "event_models",
    "family_models",
    "identity_models",
    "people_models",
    "plan_models",
    "prebirth_models",
    "register_models",
    "review_models",
]
