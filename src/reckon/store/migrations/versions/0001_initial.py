"""initial schema: sources, records, persons, case graph, users

Revision ID: 0001
Revises:
Create Date: 2026-11-25 09:26:56.599822
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_reason", sa.Text(), nullable=True),
        sa.Column("successor_ids", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    op.create_table(
        "place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name_persian", sa.Text(), nullable=True),
        sa.Column("name_latin", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place")),
    )
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("collector", sa.String(length=200), nullable=True),
        sa.Column("collected_on", sa.String(length=100), nullable=True),
        sa.Column("method", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=50), nullable=True),
        sa.Column("consent_notes", sa.Text(), nullable=True),
        sa.Column("licence_notes", sa.Text(), nullable=True),
        sa.Column("sensitivity", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("name", name=op.f("uq_source_name")),
    )
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("date_earliest", sa.Date(), nullable=True),
        sa.Column("date_latest", sa.Date(), nullable=True),
        sa.Column("date_calendar", sa.String(length=16), nullable=True),
        sa.Column("date_precision", sa.String(length=16), nullable=True),
        sa.Column("date_text", sa.String(length=200), nullable=True),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["place_id"], ["place.id"], name=op.f("fk_event_place_id_place")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_place_id"), ["place_id"], unique=False)

    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("file_format", sa.String(length=16), nullable=False),
        sa.Column("encoding", sa.String(length=32), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_imported", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("mapping", sa.JSON(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_import_batch_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
        sa.UniqueConstraint("source_id", "sha256", name=op.f("uq_import_batch_source_id")),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_batch_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_batch_source_id"), ["source_id"], unique=False)

    op.create_table(
        "record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("source_record_id", sa.String(length=200), nullable=True),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=True),
        sa.Column("given_name", sa.Text(), nullable=True),
        sa.Column("family_name", sa.Text(), nullable=True),
        sa.Column("father_name", sa.Text(), nullable=True),
        sa.Column("name_script", sa.String(length=16), nullable=True),
        sa.Column("name_normalized", sa.Text(), nullable=True),
        sa.Column("name_key", sa.String(length=200), nullable=True),
        sa.Column("name_keys", sa.JSON(), nullable=False),
        sa.Column("honorifics", sa.String(length=200), nullable=True),
        sa.Column("father_normalized", sa.Text(), nullable=True),
        sa.Column("father_key", sa.String(length=200), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=True),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("gender_text", sa.String(length=50), nullable=True),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("birth_earliest", sa.Date(), nullable=True),
        sa.Column("birth_latest", sa.Date(), nullable=True),
        sa.Column("birth_calendar", sa.String(length=16), nullable=True),
        sa.Column("birth_precision", sa.String(length=16), nullable=True),
        sa.Column("birth_text", sa.String(length=200), nullable=True),
        sa.Column("death_earliest", sa.Date(), nullable=True),
        sa.Column("death_latest", sa.Date(), nullable=True),
        sa.Column("death_calendar", sa.String(length=16), nullable=True),
        sa.Column("death_precision", sa.String(length=16), nullable=True),
        sa.Column("death_text", sa.String(length=200), nullable=True),
        sa.Column("place_of_detention", sa.Text(), nullable=True),
        sa.Column("place_of_death", sa.Text(), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("affiliation", sa.Text(), nullable=True),
        sa.Column("fate", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("sensitivity", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_record_batch_id_import_batch")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_record_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record")),
        sa.UniqueConstraint("batch_id", "row_number", name=op.f("uq_record_batch_id")),
    )
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_record_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_record_death_earliest"), ["death_earliest"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_record_name_key"), ["name_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_record_source_id"), ["source_id"], unique=False)

    op.create_table(
        "involvement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_involvement_event_id_event")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_involvement_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["record.id"], name=op.f("fk_involvement_record_id_record")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_involvement")),
    )
    with op.batch_alter_table("involvement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_involvement_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_involvement_person_id"), ["person_id"], unique=False)

    op.create_table(
        "link_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_a_id", sa.Integer(), nullable=False),
        sa.Column("record_b_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("match_probability", sa.Float(), nullable=True),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_link_decision_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["record_a_id"], ["record.id"], name=op.f("fk_link_decision_record_a_id_record")
        ),
        sa.ForeignKeyConstraint(
            ["record_b_id"], ["record.id"], name=op.f("fk_link_decision_record_b_id_record")
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by"],
            ["link_decision.id"],
            name=op.f("fk_link_decision_superseded_by_link_decision"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_decision")),
    )
    with op.batch_alter_table("link_decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_link_decision_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_link_decision_record_a_id"), ["record_a_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_link_decision_record_b_id"), ["record_b_id"], unique=False
        )

    op.create_table(
        "person_record",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_person_record_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"], ["record.id"], name=op.f("fk_person_record_record_id_record")
        ),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_person_record")),
    )
    with op.batch_alter_table("person_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_record_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("person_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_record_person_id"))

    op.drop_table("person_record")
    with op.batch_alter_table("link_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_decision_record_b_id"))
        batch_op.drop_index(batch_op.f("ix_link_decision_record_a_id"))
        batch_op.drop_index(batch_op.f("ix_link_decision_person_id"))

    op.drop_table("link_decision")
    with op.batch_alter_table("involvement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_involvement_person_id"))
        batch_op.drop_index(batch_op.f("ix_involvement_event_id"))

    op.drop_table("involvement")
    with op.batch_alter_table("record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_record_source_id"))
        batch_op.drop_index(batch_op.f("ix_record_name_key"))
        batch_op.drop_index(batch_op.f("ix_record_death_earliest"))
        batch_op.drop_index(batch_op.f("ix_record_batch_id"))

    op.drop_table("record")
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_batch_source_id"))
        batch_op.drop_index(batch_op.f("ix_import_batch_sha256"))

    op.drop_table("import_batch")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_place_id"))

    op.drop_table("event")
    op.drop_table("source")
    op.drop_table("place")
    op.drop_table("person")
    op.drop_table("app_user")
