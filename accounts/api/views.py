from django.contrib.auth import update_session_auth_hash
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView

from accounts import services
from accounts.api import serializers as s
from core.throttling import EmailRateThrottle


class RegisterView(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "auth"

    @extend_schema(request=s.RegisterSerializer, responses={201: s.RegisteredUserSerializer})
    def post(self, request):
        serializer = s.RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_register(**serializer.validated_data)
        user.email_verification_required = user.email_verified_at is None
        user.refresh = user.access = None
        if not user.email_verification_required:
            refresh = RefreshToken.for_user(user)
            user.refresh, user.access = str(refresh), str(refresh.access_token)
        return Response(s.RegisteredUserSerializer(user).data, status=status.HTTP_201_CREATED)


class MeView(generics.RetrieveAPIView):
    serializer_class = s.UserSerializer

    def get_object(self):
        return self.request.user

    @extend_schema(
        request=s.PasswordSerializer,
        responses={202: OpenApiResponse(description="Deactivated now; erased after the grace period.")},
    )
    def delete(self, request):
        serializer = s.PasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.user_delete_request(user=request.user, **serializer.validated_data)
        return Response(status=status.HTTP_202_ACCEPTED)


class ThrottledTokenObtainPairView(TokenObtainPairView):
    throttle_scope = "auth"
    serializer_class = s.VerifiedTokenObtainPairSerializer


class LogoutView(APIView):
    @extend_schema(request=s.LogoutSerializer, responses={205: None})
    def post(self, request):
        serializer = s.LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.refresh_token_revoke(user=request.user, **serializer.validated_data)
        return Response(status=status.HTTP_205_RESET_CONTENT)


class LogoutAllView(APIView):
    @extend_schema(request=None, responses={205: None})
    def post(self, request):
        services.user_tokens_revoke_all(user=request.user)
        return Response(status=status.HTTP_205_RESET_CONTENT)


class PasswordChangeView(APIView):
    @extend_schema(request=s.PasswordChangeSerializer, responses={204: None})
    def post(self, request):
        serializer = s.PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_change(user=request.user, **serializer.validated_data)
        # A page signed in with a session stays signed in; other sessions end with the old password hash.
        update_session_auth_hash(request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordResetView(APIView):
    permission_classes = [AllowAny]
    # Per client and per address: neither one client nor many together can flood an inbox.
    throttle_scope = "password_reset"
    throttle_classes = [*APIView.throttle_classes, EmailRateThrottle]

    @extend_schema(
        request=s.EmailSerializer,
        responses={202: OpenApiResponse(description="Accepted, whether or not the address has an account.")},
    )
    def post(self, request):
        serializer = s.EmailSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_request(**serializer.validated_data)
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "auth"

    @extend_schema(request=s.PasswordResetConfirmSerializer, responses={204: None})
    def post(self, request):
        serializer = s.PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_reset_confirm(**serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EmailVerifyView(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "auth"

    @extend_schema(request=s.LinkTokenSerializer, responses={204: None})
    def post(self, request):
        serializer = s.LinkTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.email_verify(**serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EmailVerifyResendView(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "password_reset"
    throttle_classes = [*APIView.throttle_classes, EmailRateThrottle]

    @extend_schema(request=s.EmailSerializer, responses={202: None})
    def post(self, request):
        serializer = s.EmailSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.email_verification_resend(**serializer.validated_data)
        return Response(status=status.HTTP_202_ACCEPTED)
