"""Following the news (issue 15): feeds and other inputs (`inputs`), and the watcher that
registers, reads, checks and re-judges articles (`pipeline`). The register itself is
attrition.store.register."""
