"""Change propagation: what changed, told after commit to every cache of every worker and instance.

`kinds` says what can change; `hooks.mark` queues a change on the session's transaction and the
hooks hand it, once committed, to `hub` (this process's listeners) and to the process's
`ChangeBus` (`bus`), which carries it to the other processes (Redis pub/sub, else PostgreSQL
LISTEN/NOTIFY, else a counter file shared by the workers of one machine).
"""
