"""Writes of rewards, by subject: catalogue.py (reward types), awards.py (logging),
decisions.py (approve, reject, void), notices.py (奖励通知书), service_star.py
(nominations, selection, long service), settings.py."""
