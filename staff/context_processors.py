from .navigation import nav_for
from .roles import role_labels


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_items": nav_for(user), "user_role_labels": role_labels(user)}
