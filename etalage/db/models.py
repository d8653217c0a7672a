"""The catalogue's tables.

A provider has scalar facts on its own row, coded multi-valued facts (laws, segments,
expertise, languages, registration routes, service area) as rows of `provider_codes`
(kind, code), arrangements as profile x intensity rows, locations, and two histories:
waiting-time measurements per peildatum and KPI measurements per period.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Kinds of coded values in provider_codes.
CODE_KINDS = ("wet", "segment", "expertise", "taal", "aanmelding", "gebied")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Provider(Base):
    __tablename__ = "providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    kvk: Mapped[str] = mapped_column(String(8), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(220), unique=True, index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(500))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    # How a GP refers: through ZorgDomein (None: not said), and what a referral holds.
    referral_zorgdomein: Mapped[bool | None] = mapped_column(Boolean)
    referral_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    # True when the service area is the whole region (`werkgebied = regio`).
    serves_region: Mapped[bool] = mapped_column(default=False)
    is_demo: Mapped[bool] = mapped_column(default=False)
    # "Klopt nog": the day the provider last confirmed its current figures unchanged.
    confirmed_on: Mapped[date | None] = mapped_column(Date)
    # Capacity (etalage.provider.CAPACITY_STATUSES), with an explanation, an end date and
    # since when.
    capacity_status: Mapped[str | None] = mapped_column(String(20))
    capacity_note: Mapped[str] = mapped_column(Text, default="", server_default="")
    capacity_until: Mapped[date | None] = mapped_column(Date)
    capacity_since: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    codes: Mapped[list[ProviderCode]] = relationship(
        back_populates="provider", cascade="all, delete-orphan", lazy="selectin"
    )
    arrangements: Mapped[list[Arrangement]] = relationship(
        back_populates="provider", cascade="all, delete-orphan", lazy="selectin"
    )
    locations: Mapped[list[Location]] = relationship(
        back_populates="provider",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="Location.position",
    )
    waiting_times: Mapped[list[WaitingTime]] = relationship(
        back_populates="provider",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="WaitingTime.peildatum",
    )
    kpis: Mapped[list[KpiMeasurement]] = relationship(
        back_populates="provider",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="KpiMeasurement.period",
    )

    __table_args__ = (
        CheckConstraint("age_min IS NULL OR (age_min >= 0 AND age_min <= 120)", name="age_min"),
        CheckConstraint("age_max IS NULL OR (age_max >= 0 AND age_max <= 120)", name="age_max"),
        CheckConstraint(
            "capacity_status IS NULL OR capacity_status IN "
            "('plek', 'wachtlijst', 'aanmeldstop', 'eerst_screening')",
            name="capacity_status",
        ),
    )

    def codes_of(self, kind: str) -> list[str]:
        return sorted(c.code for c in self.codes if c.kind == kind)

    @property
    def main_location(self) -> Location | None:
        return self.locations[0] if self.locations else None

    @property
    def latest_waiting_time(self) -> WaitingTime | None:
        return self.waiting_times[-1] if self.waiting_times else None

    @property
    def latest_kpi(self) -> KpiMeasurement | None:
        return self.kpis[-1] if self.kpis else None


class ProviderCode(Base):
    __tablename__ = "provider_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(60))
    provider: Mapped[Provider] = relationship(back_populates="codes")

    __table_args__ = (
        UniqueConstraint("provider_id", "kind", "code", name="uq_provider_codes_entry"),
        CheckConstraint(
            "kind IN ('wet', 'segment', 'expertise', 'taal', 'aanmelding', 'gebied')", name="kind"
        ),
        Index("ix_provider_codes_kind_code", "kind", "code"),
    )


class Arrangement(Base):
    __tablename__ = "arrangements"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"))
    profile: Mapped[str] = mapped_column(String(10))
    intensity: Mapped[str] = mapped_column(String(20))
    provider: Mapped[Provider] = relationship(back_populates="arrangements")

    __table_args__ = (
        UniqueConstraint("provider_id", "profile", "intensity", name="uq_arrangements_entry"),
        Index("ix_arrangements_profile_intensity", "profile", "intensity"),
    )


class Location(Base):
    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)  # 0 = main location
    address: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(7))
    city: Mapped[str | None] = mapped_column(String(100))
    municipality: Mapped[str | None] = mapped_column(String(60))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    provider: Mapped[Provider] = relationship(back_populates="locations")


class WaitingTime(Base):
    """One waiting-time measurement; history is kept, one row per peildatum."""

    __tablename__ = "waiting_times"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"))
    peildatum: Mapped[date] = mapped_column(Date)
    registration_weeks: Mapped[int | None] = mapped_column(Integer)
    treatment_weeks: Mapped[int | None] = mapped_column(Integer)
    waiting_list_size: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    provider: Mapped[Provider] = relationship(back_populates="waiting_times")

    __table_args__ = (
        UniqueConstraint("provider_id", "peildatum", name="uq_waiting_times_point"),
        CheckConstraint(
            "registration_weeks IS NULL OR registration_weeks BETWEEN 0 AND 104", name="reg"
        ),
        CheckConstraint("treatment_weeks IS NULL OR treatment_weeks BETWEEN 0 AND 104", name="tre"),
        CheckConstraint("waiting_list_size IS NULL OR waiting_list_size >= 0", name="list"),
    )

    @property
    def total_weeks(self) -> int | None:
        if self.registration_weeks is None and self.treatment_weeks is None:
            return None
        return (self.registration_weeks or 0) + (self.treatment_weeks or 0)


class KpiMeasurement(Base):
    """Outcome indicators for one period (`2025` or `2025-H1`); history is kept."""

    __tablename__ = "kpi_measurements"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("providers.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    dropout_pct: Mapped[float | None] = mapped_column(Float)
    goal_attainment_pct: Mapped[float | None] = mapped_column(Float)
    satisfaction_pct: Mapped[float | None] = mapped_column(Float)
    n: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    provider: Mapped[Provider] = relationship(back_populates="kpis")

    __table_args__ = (
        UniqueConstraint("provider_id", "period", name="uq_kpi_measurements_point"),
        CheckConstraint("n >= 0", name="n"),
    )


ROLES = ("beheerder", "toegang", "aanbieder")


class User(Base):
    """An account (etalage.accounts): a beheerder, a toegang worker or provider staff."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)  # lower case
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    providers: Mapped[list[UserProvider]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        CheckConstraint("role IN ('beheerder', 'toegang', 'aanbieder')", name="role"),
    )


class UserProvider(Base):
    """A provider (by KvK number) a user with the role `aanbieder` may keep current."""

    __tablename__ = "user_providers"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kvk: Mapped[str] = mapped_column(String(8), primary_key=True)

    user: Mapped[User] = relationship(back_populates="providers")


class EndedConversation(Base):
    """A hulpwijzer conversation that was started over (etalage.db.ended): the digest of
    its random id, until its old cookie would have expired."""

    __tablename__ = "hulpwijzer_ended"

    sid_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    until: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class SearchOutbox(Base):
    """A provider whose search document must be refreshed (see etalage.db.outbox)."""

    __tablename__ = "search_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    kvk: Mapped[str] = mapped_column(String(8), index=True)
    op: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    # Set once the row was sent to Meilisearch (by whichever process held the sender
    # lock); every process still applies every row to its own embedded copy.
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("op IN ('upsert', 'delete')", name="op"),
        Index(
            "ix_search_outbox_unsent",
            "id",
            postgresql_where=text("sent_at IS NULL"),
            sqlite_where=text("sent_at IS NULL"),
        ),
    )


class LoginSession(Base):
    """A logged-in browser (etalage.accounts.sessions): the digest of its random id, so a
    copy of the table cannot be replayed as cookies. Shared by every app process."""

    __tablename__ = "login_sessions"

    id_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """A personal API token (etalage.accounts.tokens); only its digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginThrottle(Base):
    """Failed logins per account or client address (etalage.accounts.login)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """One change (etalage.audit): who, what, the old and the new value (JSON), when.
    Append-only: database triggers refuse UPDATE and DELETE (migration 0006)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(300))
    kvk: Mapped[str | None] = mapped_column(String(8), index=True)
    what: Mapped[str] = mapped_column(String(100))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)


class ReminderSent(Base):
    """A stale-data reminder sent (etalage.portal.reminders): once per provider and
    period, never twice."""

    __tablename__ = "reminders_sent"

    kvk: Mapped[str] = mapped_column(String(8), primary_key=True)
    period: Mapped[str] = mapped_column(String(40), primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recipients: Mapped[str] = mapped_column(Text, default="")
