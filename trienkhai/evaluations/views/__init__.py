"""Pages of the annual classification: `periods` (periods, their rules, the classification of a
unit's organisations, the distribution) and `steps` (one evaluation and its steps)."""
