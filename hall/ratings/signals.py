"""The signal ratings publish.

rating_given is sent INSIDE the transaction that saves a rating, after the
rating and its counters are written: what a receiver writes commits or rolls
back with the rating. Arguments: rating (the saved Rating). Its receivers
(listed in hall/core/tests/test_receivers.py):
  rectification  open or close the 差评整改 task of a bad rating or a follow-up
"""

from django.dispatch import Signal

rating_given = Signal()
