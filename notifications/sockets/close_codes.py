"""Every close code the sockets use (docs/websocket-protocol.md §1, §9 and the interview room's table)."""

# Authentication, after accept so that a browser can read the code (a refusal before accept reads as 1006).
NO_CREDENTIALS = 4001  # also: bad signature, wrong kind of token, unknown or inactive user
MALFORMED_TOKEN = 4003
EXPIRED_TOKEN = 4004

# Limits of every socket.
SLOW_CONSUMER = 4008  # the send queue overflowed: the client reconnects and recovers
FLOODING = 4029  # more than twice KAZI_WS_MAX_FRAMES_PER_SECOND frames within a second
TOO_BIG = 1009  # the fourth frame over KAZI_WS_MAX_FRAME_BYTES

# ws/interviews/{id}/ only.
NOT_A_PARTICIPANT = 4403  # also an interview that does not exist: the two look the same
ROOM_NOT_OPEN = 4409  # outside the joining window, or the interview is over
ROOM_CLOSED = 4410  # the interview ended or was cancelled while the socket was in its room (after `room_closed`)
SERVER_ERROR = 1011  # Redis unreachable while the socket entered the room
