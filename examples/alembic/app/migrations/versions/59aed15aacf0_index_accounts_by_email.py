"""index accounts by email

Revision ID: 59aed15aacf0
Revises: 335f443a978d
Create Date: 2026-12-02 00:30:39.371682

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '59aed15aacf0'
down_revision: Union[str, Sequence[str], None] = '335f443a978d'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index("ix_accounts_email", "accounts", ["email"], unique=True)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_accounts_email", table_name="accounts")
