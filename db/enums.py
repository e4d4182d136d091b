"""Closed vocabularies of the domain. Values are the Chinese terms users see and that exports carry."""

from __future__ import annotations

from enum import StrEnum


class EntityKind(StrEnum):
    """检查对象类型."""

    ENTERPRISE = "企业"
    INDIVIDUAL = "个体工商户"
    COOPERATIVE = "农民专业合作社"
    SOCIAL_ORG = "社会组织"
    PUBLIC_INSTITUTION = "事业单位"
    PRODUCT = "产品"
    PROJECT = "项目"
    BEHAVIOUR = "行为"


class RegStatus(StrEnum):
    """登记状态."""

    ACTIVE = "存续"
    SUSPENDED = "歇业"  # 歇业备案 under the 2022 市场主体登记管理条例: registered, not operating
    CANCELLED = "注销"
    REVOKED = "吊销"
    MOVED_OUT = "迁出"


class RiskLevel(StrEnum):
    """风险等级."""

    HIGH = "高"
    MEDIUM = "中"
    LOW = "低"


class CreditClass(StrEnum):
    """信用分类 (A 信用良好 … D 严重失信)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"


class InspectorStatus(StrEnum):
    """执法检查人员状态."""

    ON_DUTY = "在岗"
    TRANSFERRED = "调离"
    SUSPENDED = "停用"


class ItemClass(StrEnum):
    """事项类别."""

    GENERAL = "一般"
    KEY = "重点"


class ItemListKind(StrEnum):
    """Which list an item belongs to: the department's own 随机抽查事项清单 or the joint list."""

    DEPARTMENT = "部门"
    JOINT = "联合"


class DeptRole(StrEnum):
    """A department's role in a joint item or task."""

    LEAD = "发起"
    PARTNER = "配合"


class PlanStatus(StrEnum):
    """年度抽查计划 status."""

    DRAFT = "草稿"
    SUBMITTED = "已报审"
    FILED = "已审核备案"


class RevisionKind(StrEnum):
    """Why a plan version was recorded."""

    SUBMIT = "报审"
    FILE = "备案"
    ADJUST = "调整"


class TaskStatus(StrEnum):
    """抽查任务 lifecycle."""

    PENDING_DRAW = "待抽取"
    DRAWN = "已抽取"
    INSPECTING = "检查中"
    COMPLETED = "已完成"
    PUBLISHED = "已公示"


class DrawStatus(StrEnum):
    """A draw attempt. A finished draw is immutable; it can only be voided with a reason."""

    PREPARED = "已准备"
    COMMITTED = "已承诺"
    FINISHED = "已完成"
    VOIDED = "已作废"


class InspectionMethod(StrEnum):
    """检查方式."""

    ON_SITE = "实地核查"
    DOCUMENTS = "书面检查"
    ONLINE = "网络监测"
    DEPT_OPINION = "部门意见"
    TESTING = "检验检测"
    ENTRUSTED = "委托专业机构"


class InspectionResult(StrEnum):
    """检查结果 — the national categories."""

    NO_PROBLEM = "未发现问题"
    NOT_DISCLOSED = "未按规定公示应当公示的信息"
    FALSE_DISCLOSURE = "公示信息隐瞒真实情况弄虚作假"
    UNREACHABLE = "通过登记的住所（经营场所）无法联系"
    CORRECTED = "发现问题已责令改正"
    PENDING_FOLLOW_UP = "发现问题待后续处理"
    NO_ACTIVITY = "未发现开展本次抽查涉及的经营活动"
    CLOSED = "已关闭停业或正在组织清算"
    NON_COOPERATIVE = "不配合检查情节严重"
    CANCELLED = "已注销"
    REVOKED = "已吊销"
    MOVED_OUT = "已迁出"


class FollowUp(StrEnum):
    """后续处置."""

    NONE = "无需处置"
    ORDER_CORRECTION = "责令改正"
    CASE_FILED = "立案查处"
    TRANSFERRED = "移送"
    NOTIFY_DEPARTMENT = "抄告相关部门"
    LIST_ABNORMAL = "列入经营异常名录"


class InspectionStatus(StrEnum):
    """检查记录 status: once filed (已归档) the form is protected."""

    DRAFT = "草稿"
    FILED = "已归档"


class UserRole(StrEnum):
    """Roles: 管理员 (users, settings, restore), 经办人 (day-to-day work), 监督员 (read-only, co-sign, verify)."""

    ADMIN = "管理员"
    CLERK = "经办人"
    SUPERVISOR = "监督员"


class CalendarDayKind(StrEnum):
    """法定节假日 or 调休 make-up working day."""

    HOLIDAY = "休"
    WORKDAY = "班"
