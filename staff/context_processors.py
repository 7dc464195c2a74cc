from .navigation import nav_menu
from .roles import role_labels


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_menu": nav_menu(user, request.path), "user_role_labels": role_labels(user)}
