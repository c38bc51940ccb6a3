"""add email to accounts

Revision ID: 335f443a978d
Revises: 92f7c6e85b4b
Create Date: 2026-12-02 00:30:38.516212

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '335f443a978d'
down_revision: Union[str, Sequence[str], None] = '92f7c6e85b4b'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column("accounts", sa.Column("email", sa.String(length=255), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column("accounts", "email")
