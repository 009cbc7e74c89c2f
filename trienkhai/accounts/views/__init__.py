"""Pages of accounts: `account` (sign-in, my account, my tokens) and `users` (administering users
and their grants)."""
