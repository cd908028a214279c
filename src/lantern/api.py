"""The one explicit list of routers, JSON API and pages."""

from fastapi import APIRouter

from lantern.access import api as access_api
from lantern.access import break_glass
from lantern.access import pages as access_pages
from lantern.alerts import api as alerts_api
from lantern.assessments import api as assessments_api
from lantern.assessments import pages as assessments_pages
from lantern.assessments.prebirth import api as prebirth_api
from lantern.assessments.prebirth import pages as prebirth_pages
from lantern.casework import api as casework_api
from lantern.casework import pages as casework_pages
from lantern.chronology import api as chronology_api
from lantern.chronology import pages as chronology_pages
from lantern.duties import api as duties_api
from lantern.duties import pages as duties_pages
from lantern.events import api as events_api
from lantern.family import api as family_api
from lantern.family import pages as family_pages
from lantern.identity import api as identity_api
from lantern.identity import pages as identity_pages
from lantern.interop import api as interop_api
from lantern.interop import pages as interop_pages
from lantern.people import api as people_api
from lantern.people import pages as people_pages
from lantern.plans import api as plans_api
from lantern.plans import pages as plans_pages
from lantern.register import api as register_api
from lantern.register import pages as register_pages
from lantern.returns import api as returns_api
from lantern.reviews import api as reviews_api
from lantern.reviews import pages as reviews_pages

API_ROUTERS: list[APIRouter] = [
    access_api.router,
    break_glass.api_router,
    events_api.router,
    people_api.router,
    duties_api.router,
    family_api.router,
    chronology_api.router,
    alerts_api.router,
    identity_api.router,
    register_api.router,
    prebirth_api.router,
    assessments_api.router,
    casework_api.router,
    plans_api.router,
    reviews_api.router,
    interop_api.router,
    returns_api.router,
]
PAGE_ROUTERS: list[APIRouter] = [
    access_pages.router,
    break_glass.page_router,
    people_pages.router,
    duties_pages.router,
    family_pages.router,
    chronology_pages.router,
    identity_pages.router,
    register_pages.router,
    assessments_pages.router,
    casework_pages.router,
    plans_pages.router,
    prebirth_pages.router,
    reviews_pages.router,
    interop_pages.router,
]
