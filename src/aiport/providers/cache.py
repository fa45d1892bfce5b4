"""Each workspace's provider list, kept in memory between changes.

Listing is the hottest management read: without this, every request loads and converts every
provider and credential row. Entries are dropped when a change to the workspace's providers is
committed (providers.events in this process; the change bus for other processes), and a list
loaded while a change committed is not kept, so a reader never caches the state just replaced.
"""

from __future__ import annotations

from aiport.providers.schemas import ProviderRead

# (changes to every workspace, changes to this workspace) when an entry was loaded.
Stamp = tuple[int, int]


class ProviderViews:
    def __init__(self) -> None:
        self._all = 0
        self._workspaces: dict[int, int] = {}
        self._lists: dict[int, tuple[Stamp, list[ProviderRead]]] = {}

    def stamp(self, workspace_id: int) -> Stamp:
        return (self._all, self._workspaces.get(workspace_id, 0))

    def invalidate(self, workspace_id: int | None = None) -> None:
        """Forget one workspace's views, or every workspace's (None)."""
        if workspace_id is None:
            self._all += 1
            self._lists.clear()
            return
        self._workspaces[workspace_id] = self._workspaces.get(workspace_id, 0) + 1
        self._lists.pop(workspace_id, None)

    def get_list(self, workspace_id: int) -> list[ProviderRead] | None:
        hit = self._lists.get(workspace_id)
        return hit[1] if hit is not None and hit[0] == self.stamp(workspace_id) else None

    def put_list(self, workspace_id: int, stamp: Stamp, providers: list[ProviderRead]) -> None:
        if stamp == self.stamp(workspace_id):
            self._lists[workspace_id] = (stamp, providers)
