"""Every real-time group name is made here (rule 7 of ARCHITECTURE.md).

Channels allows ASCII letters, digits, '-', '_' and '.' under 100 characters;
the names below keep to that whichever transport carries them.
"""

ROOMS = ("recruiters", "admins")


def user_group(user_id) -> str:
    return f"user.{user_id}"


def role_group(role: str) -> str:
    return f"role.{role}"


def room_group(room: str) -> str:
    return f"room.{room}"


def resume_group(document_id) -> str:
    return f"resume.{document_id}"


def interview_group(interview_id) -> str:
    """The signaling room of one interview (ws/interviews/{id}/), across every web process."""
    return f"interview.{interview_id}"
