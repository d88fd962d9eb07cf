"""What every socket consumer shares: authentication, the inbound frame gate, the send queue, the close codes.

ws/notifications/ (notifications/consumers.py) and ws/interviews/{id}/ (interviews/consumers.py) subclass
`base.SocketConsumer`; other apps add frames to ws/notifications/ through `frame_handlers`.
"""
