"""Actions: recorded changes that the client session that made them can undo and redo."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from aiport.db.base import Base
from aiport.db.types import UTCDateTime, utcnow


class Action(Base):
    __tablename__ = "actions"
    __table_args__ = (
        # Undo and redo look up one user's actions in one client session.
        Index("ix_actions_user_id_client_session", "user_id", "client_session"),
    )

    # Made before the row is written: the state ciphertexts' AAD names it.
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    workspace_id: Mapped[int | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), index=True, default=None
    )
    # The `ClientSessionId` the change was made with.
    client_session: Mapped[str] = mapped_column(String(256))
    # The `ClientUndoRedoActionGroupId`: a group is undone and redone as one.
    action_group: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    # What changed, e.g. `provider.update` or `baserow.settings.update`.
    type: Mapped[str] = mapped_column(String(64))
    # Baserow's scope string, e.g. `workspace1`.
    scope: Mapped[str] = mapped_column(String(64))
    # The state before and after, as JSON sealed whole by the key ring with the AAD
    # credentials.sealing.state_aad(id, "before"|"after"); NULL when there is nothing to hold.
    before_state: Mapped[str | None] = mapped_column(Text, default=None)
    before_key_id: Mapped[str | None] = mapped_column(String(16), default=None)
    after_state: Mapped[str | None] = mapped_column(Text, default=None)
    after_key_id: Mapped[str | None] = mapped_column(String(16), default=None)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Why the last undo or redo of this action failed (never a secret).
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Actions expire 120 minutes after their last update.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
