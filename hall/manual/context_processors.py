from . import help


def help_link(request):
    """The help page of the staff screen being shown: a dictionary look-up on the
    resolved URL name, no query and no template load."""
    match = getattr(request, "resolver_match", None)
    if match is None or not request.path.startswith("/staff/"):
        return {}
    url = help.help_url_for(match.view_name)
    return {"HELP_URL": url} if url else {}
