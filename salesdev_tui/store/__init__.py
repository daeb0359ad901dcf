"""The repositories: the only place SQL lives (`combined.Store` is the front over them).

Import each name from the module that defines it (`salesdev_tui.store.combined.Store`,
`salesdev_tui.store.base.NotFound`, …): this package itself imports nothing, so
`store.today_queries` can run at start-up before SQLModel is imported (PERFORMANCE.md).
"""
