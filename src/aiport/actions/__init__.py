"""Undo/redo: Actions recorded with each change, and their replay, Baserow's way."""
