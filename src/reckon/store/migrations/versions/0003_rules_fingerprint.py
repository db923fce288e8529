"""import batches record the name rules their keys were made with

Adds `import_batch.rules_fingerprint` (reckon.text.rules_fingerprint at import time). Batches
imported before it have NULL: the rules that made their keys are unknown, so `reckon renormalize`
treats them as made by older rules. A NULL column is left out of a row's audit digest, so the
audit covers of existing batches still verify.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:12:40.118203
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rules_fingerprint", sa.String(length=64), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite has one since 3.35): batch mode would copy the table, which
    # the foreign keys of its records forbid once the project holds any.
    op.drop_column("import_batch", "rules_fingerprint")
