from django.contrib.auth import get_user_model
from rest_framework import exceptions, serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer

from accounts.choices import UserType
from accounts.models import User
from accounts.selectors import UNVERIFIED, email_is_verified


class UserSerializer(serializers.ModelSerializer):
    company = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "user_type", "company", "date_joined"]
        read_only_fields = fields


class SafeTokenRefreshSerializer(TokenRefreshSerializer):
    """simplejwt's refresh, answering 401 (not 500) for a token whose user has been deleted."""

    def validate(self, attrs):
        try:
            return super().validate(attrs)
        except get_user_model().DoesNotExist:
            raise exceptions.AuthenticationFailed(
                self.error_messages["no_active_account"], "no_active_account"
            ) from None


class VerifiedTokenObtainPairSerializer(TokenObtainPairSerializer):
    """simplejwt's login, refusing (401) an address that still awaits its verification link."""

    def validate(self, attrs):
        data = super().validate(attrs)
        if not email_is_verified(self.user):
            raise exceptions.AuthenticationFailed(UNVERIFIED, "email_not_verified")
        return data


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})
    user_type = serializers.ChoiceField(choices=UserType.choices)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class RegisteredUserSerializer(UserSerializer):
    access = serializers.CharField(read_only=True, allow_null=True)
    refresh = serializers.CharField(read_only=True, allow_null=True)
    email_verification_required = serializers.BooleanField(
        read_only=True, help_text="True: no tokens yet; the account signs in once the mailed link is followed."
    )

    class Meta(UserSerializer.Meta):
        fields = UserSerializer.Meta.fields + ["access", "refresh", "email_verification_required"]
        read_only_fields = fields


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=4096)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, style={"input_type": "password"})
    new_password = serializers.CharField(max_length=128, style={"input_type": "password"})


class EmailSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    new_password = serializers.CharField(max_length=128, style={"input_type": "password"})


class LinkTokenSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)


class PasswordSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, style={"input_type": "password"})
