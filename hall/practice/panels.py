def banner(request, **values):
    """The banner's way out: only pages in practice mode render the slot."""
    return {}
