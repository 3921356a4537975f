from __future__ import annotations

from pydantic import Field, StrictBool, StrictInt

from rapport.core.inputs import ColumnText
from rapport.core.schemas import InputModel, OutputModel
from rapport.tenants.models import Tenant


class TenantSettingsOut(OutputModel):
    slug: str
    name: str
    default_country: str | None
    time_zone: str
    personality_insights_enabled: bool
    default_priority: int
    queue_aging_seconds: int | None
    routing_mode: str
    offer_seconds: int
    offer_lapses_to_away: int
    offer_cooldown_seconds: int


class TenantSettingsUpdate(InputModel):
    name: ColumnText(Tenant.name) | None = None
    default_country: str | None = Field(None, description="For reading national phone numbers.")
    time_zone: str | None = None
    personality_insights_enabled: StrictBool = Field(None, description="Send true or false.")
    default_priority: StrictInt | None = Field(None, ge=1, le=5)
    queue_aging_seconds: StrictInt | None = Field(
        None,
        ge=1,
        le=366 * 24 * 3600,
        description="Waiting interactions gain one priority step per this many seconds waited, "
        "so no one waits forever; null turns aging off.",
    )
    routing_mode: str | None = Field(
        None, description="`push`: waiting work is offered to available agents with a "
        "countdown; `pull`: agents take work with Accept next (always possible).",
    )
    offer_seconds: StrictInt | None = Field(None, description="An offer's countdown (3-300 s).")
    offer_lapses_to_away: StrictInt | None = Field(
        None, description="Offers let lapse in a row that set an agent away (0 = never)."
    )
    offer_cooldown_seconds: StrictInt | None = Field(
        None, description="A rejected or lapsed workitem is not offered to that agent again "
        "for this long (0-3600 s).",
    )
