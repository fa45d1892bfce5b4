"""Providers, credentials, registered models and their defaults, model caches, gateway usage.

Keeps the revision id of the last of the first day's migrations (squashed into this and the
previous one before any release), so a store already migrated to it is at head.

Revision ID: 4835fc53095e
Revises: 0c3b5e1f2a71
Create Date: 2026-11-25 15:47:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import aiport.db.types

revision: str = "4835fc53095e"
down_revision: str | None = "0c3b5e1f2a71"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "providers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=True),
        sa.Column("icon", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("base_url", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=True),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.Column("check_status", sa.String(length=32), nullable=False),
        sa.Column("check_message", sa.Text(), nullable=False),
        sa.Column("checked_at", aiport.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", aiport.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", aiport.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", aiport.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_providers_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_providers_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_providers")),
    )
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_providers_workspace_id"), ["workspace_id"], unique=False
        )
        batch_op.create_index(
            "uq_providers_workspace_id_name_live",
            ["workspace_id", "name"],
            unique=True,
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )

    op.create_table(
        "usage",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("token_id", sa.Integer(), nullable=True),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("provider_name", sa.Text(), nullable=False),
        sa.Column("credential_id", sa.Uuid(), nullable=True),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("endpoint", sa.String(length=32), nullable=False),
        sa.Column("stream", sa.Boolean(), nullable=False),
        sa.Column("input_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("overhead_ms", sa.Float(), nullable=False),
        sa.Column("failovers", sa.Integer(), nullable=False),
        sa.Column("created_at", aiport.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_usage_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage")),
    )
    with op.batch_alter_table("usage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_usage_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_usage_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_usage_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "models",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.String(length=255), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("model_provider", sa.String(length=64), nullable=False),
        sa.Column("model_name", sa.String(length=255), nullable=False),
        sa.Column("base_url", sa.Text(), nullable=True),
        sa.Column("temperature", sa.Float(), nullable=True),
        sa.Column("dimension", sa.Integer(), nullable=True),
        sa.Column("abilities", sa.JSON(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=True),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("is_shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", aiport.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", aiport.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_models_owner_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_models_provider_id_providers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_models_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_models")),
        sa.UniqueConstraint(
            "workspace_id", "model_id", name=op.f("uq_models_workspace_id_model_id")
        ),
    )
    with op.batch_alter_table("models", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_models_owner_user_id"), ["owner_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_models_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "provider_model_caches",
        sa.Column("provider_id", sa.Uuid(), nullable=False),
        sa.Column("models", sa.JSON(), nullable=False),
        sa.Column("fetched_at", aiport.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_provider_model_caches_provider_id_providers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("provider_id", name=op.f("pk_provider_model_caches")),
    )
    op.create_table(
        "credentials",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("provider_id", sa.Uuid(), nullable=True),
        sa.Column("model_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("ciphertext", sa.Text(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("mask", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("status_message", sa.Text(), nullable=False),
        sa.Column("checked_at", aiport.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", aiport.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", aiport.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", aiport.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["models.id"],
            name=op.f("fk_credentials_model_id_models"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["providers.id"],
            name=op.f("fk_credentials_provider_id_providers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credentials")),
    )
    with op.batch_alter_table("credentials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credentials_model_id"), ["model_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_credentials_provider_id"), ["provider_id"], unique=False
        )

    op.create_table(
        "model_defaults",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("config_type", sa.String(length=32), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("created_at", aiport.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", aiport.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["models.id"],
            name=op.f("fk_model_defaults_model_id_models"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_model_defaults_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_model_defaults_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_defaults")),
        sa.UniqueConstraint(
            "workspace_id",
            "user_id",
            "config_type",
            name=op.f("uq_model_defaults_workspace_id_user_id_config_type"),
        ),
    )
    with op.batch_alter_table("model_defaults", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_model_defaults_model_id"), ["model_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_model_defaults_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("model_defaults", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_model_defaults_user_id"))
        batch_op.drop_index(batch_op.f("ix_model_defaults_model_id"))

    op.drop_table("model_defaults")
    with op.batch_alter_table("credentials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credentials_provider_id"))
        batch_op.drop_index(batch_op.f("ix_credentials_model_id"))

    op.drop_table("credentials")
    op.drop_table("provider_model_caches")
    with op.batch_alter_table("models", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_models_provider_id"))
        batch_op.drop_index(batch_op.f("ix_models_owner_user_id"))

    op.drop_table("models")
    with op.batch_alter_table("usage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_usage_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_usage_provider_id"))
        batch_op.drop_index(batch_op.f("ix_usage_created_at"))

    op.drop_table("usage")
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_providers_workspace_id_name_live",
            sqlite_where=sa.text("deleted_at IS NULL"),
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_providers_workspace_id"))

    op.drop_table("providers")
