"""attrition: a checkable ledger of the Russian losses reported by Ukraine's General Staff."""
