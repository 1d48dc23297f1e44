"""Who may enter a small group's workspace and its posts: next to what it guards."""

from enum import StrEnum

from django.http import Http404

from polku.access import membership_get, small_group_get
from polku.people.models import Role

from .models import Post


def workspace_get(user, cohort_slug: str, group_id: int):
    """A small group's workspace: its members and the cohort's trainers, nobody else (404).
    Organisers see activity counts on the cohort overview, never the conversations."""
    membership = membership_get(user, cohort_slug, roles=(Role.PARTICIPANT, Role.TRAINER))
    if membership.role == Role.PARTICIPANT:
        if membership.small_group_id != group_id:
            raise Http404
        return membership, membership.small_group  # fetched with the membership
    return membership, small_group_get(membership, group_id)


def post_get(group, post_id: int):
    post = Post.objects.select_related("author").filter(id=post_id, small_group=group).first()
    if post is None:
        raise Http404
    post.small_group = group  # the group asked for: no second read of it
    return post


class PostRight(StrEnum):
    """Who may act on a post."""

    MEMBER = "member"  # anyone who reads the workspace
    AUTHOR = "author"
    TRAINER = "trainer"
    COACHEE = "coachee"  # the author of a coaching thread


def post_act_get(membership, group, post_id: int, right: PostRight):
    """The post, if this member has the right; 404 otherwise. A hidden post is the
    trainers' alone until they show it again."""
    post = post_get(group, post_id)
    user_id, is_trainer = membership.user_id, membership.role == Role.TRAINER
    allowed = {
        PostRight.MEMBER: True,
        PostRight.AUTHOR: post.author_id == user_id,
        PostRight.TRAINER: is_trainer,
        PostRight.COACHEE: post.author_id == user_id and post.kind == Post.Kind.COACHING,
    }[right]
    if not allowed or (post.hidden_at and right != PostRight.TRAINER):
        raise Http404
    return post
