# The directory is kept on its own pages (/staff/agencies/), where every change
# goes through the services and is audited; it has no admin pages of its own.
