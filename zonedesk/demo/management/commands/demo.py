"""Load the demo: Shanxi's tree down to three development zones, units, teams, enterprises
named in the zones' own reports, and one user per role. Safe to run again: what exists is
left as it is."""

from django.core.management.base import BaseCommand
from django.db import transaction

from zonedesk.appeals import demo as appeals_demo
from zonedesk.catalog.models import IndustryCode
from zonedesk.catalog.validators import make_uscc
from zonedesk.enterprises import demo as enterprises_demo
from zonedesk.enterprises.models import Enterprise
from zonedesk.enterprises.services import create_enterprise
from zonedesk.indicators import demo as indicators_demo
from zonedesk.leads import demo as leads_demo
from zonedesk.meetings import demo as meetings_demo
from zonedesk.notify import demo as notify_demo
from zonedesk.orgs import services
from zonedesk.orgs.models import Org, Role, Team, Unit, User
from zonedesk.projects import demo as projects_demo
from zonedesk.reports import demo as reports_demo
from zonedesk.supervision import demo as supervision_demo

PASSWORD = "Zonedesk@2026"

# (name, kind, GB/T 2260 code, children)
TREE = (
    "山西省",
    "province",
    "140000",
    [
        (
            "晋中市",
            "city",
            "140700",
            [
                (
                    "寿阳县",
                    "county",
                    "140725",
                    [
                        (
                            "寿阳经济技术开发区",
                            "zone",
                            "140725",
                            [
                                ("造纸产业园", "park", "", []),
                                ("煤炭绿色循环产业园", "park", "", []),
                                ("交通智慧物流产业园", "park", "", []),
                                ("城南新材料产业园", "park", "", []),
                            ],
                        ),
                    ],
                ),
                (
                    "太谷区",
                    "county",
                    "140703",
                    [
                        (
                            "太谷经济技术开发区",
                            "zone",
                            "140703",
                            [("精密制造产业园", "park", "", [])],
                        ),
                    ],
                ),
            ],
        ),
        (
            "吕梁市",
            "city",
            "141100",
            [
                (
                    "孝义市",
                    "county",
                    "141181",
                    [
                        (
                            "孝义经济开发区",
                            "zone",
                            "141181",
                            [("新能源新材料产业园", "park", "", [])],
                        ),
                    ],
                ),
                (
                    "文水县",
                    "county",
                    "141121",
                    [
                        ("文水经济开发区", "zone", "141121", []),
                    ],
                ),
            ],
        ),
    ],
)

UNITS = {
    "寿阳县": ["自然资源局", "生态环境分局", "财政局", "发展改革和科技局", "住房和城乡建设管理局"],
    "寿阳经济技术开发区": ["项目建设服务中心", "招商服务中心", "企业服务中心", "规划建设局"],
    "太谷经济技术开发区": ["项目服务部", "招商局"],
    "孝义经济开发区": ["项目服务部", "招商局"],
    "文水经济开发区": ["项目服务部", "招商局"],
}

# (zone, name, short name, industry 大类, above designated size)
ENTERPRISES = [
    ("寿阳经济技术开发区", "山西强伟纸业有限公司", "强伟纸业", "22", True),
    ("寿阳经济技术开发区", "山西奥泰科技有限公司", "奥泰科技", "26", True),
    ("寿阳经济技术开发区", "山西精达丰科技有限公司", "精达丰科技", "26", False),
    ("寿阳经济技术开发区", "山西寿阳段王煤业集团有限公司", "段王煤业", "06", True),
    ("寿阳经济技术开发区", "山西圣火伟业科技有限公司", "圣火伟业", "38", False),
    ("寿阳经济技术开发区", "山西路桥集团交通产业开发有限公司", "路桥智慧交通", "54", True),
    ("寿阳经济技术开发区", "山西艾灸堂农业科技有限公司", "艾灸堂农业科技", "01", False),
    ("寿阳经济技术开发区", "山西晋荞米业有限公司", "晋荞米业", "13", False),
    ("太谷经济技术开发区", "山西亮拓精密铸造有限公司", "亮拓", "33", False),
    ("孝义经济开发区", "山西领泽新材料科技有限公司", "领泽新材料", "26", True),
    ("文水经济开发区", "山西诺成制药有限公司", "诺成制药", "27", True),
]

# (username, name, role, node, unit, enterprise short name)
USERS = [
    ("admin", "王建国", Role.Name.ADMIN, "山西省", None, None),
    ("leader", "李志强", Role.Name.LEADER, "寿阳经济技术开发区", None, None),
    ("officer", "张晓燕", Role.Name.OFFICER, "寿阳经济技术开发区", None, None),
    ("promoter", "赵鹏", Role.Name.PROMOTER, "寿阳经济技术开发区", None, None),
    ("unit", "刘红梅", Role.Name.UNIT, "寿阳县", "自然资源局", None),
    ("stats", "陈静", Role.Name.STATISTICIAN, "寿阳经济技术开发区", None, None),
    ("viewer", "孙立华", Role.Name.VIEWER, "晋中市", None, None),
    ("enterprise", "周伟", Role.Name.ENTERPRISE, "寿阳经济技术开发区", None, "强伟纸业"),
    ("taigu", "郭文斌", Role.Name.LEADER, "太谷经济技术开发区", None, None),
]

# (zone, kind, name, chain, leader username, member usernames)
TEAMS = [
    (
        "寿阳经济技术开发区",
        Team.Kind.TASK_FORCE,
        "强伟30万吨生活用纸加工基地项目专班",
        "造纸",
        "leader",
        ["officer"],
    ),
    (
        "寿阳经济技术开发区",
        Team.Kind.TASK_FORCE,
        "道威200MW/400MWh共享储能电站项目专班",
        "新能源储能",
        "leader",
        ["officer"],
    ),
    (
        "寿阳经济技术开发区",
        Team.Kind.INVESTMENT,
        "造纸产业链招商战队",
        "造纸",
        "leader",
        ["promoter"],
    ),
    ("寿阳经济技术开发区", Team.Kind.INVESTMENT, "数字经济招商战队", "数字经济", "leader", []),
]


class Command(BaseCommand):
    help = "Load demo organisations, units, teams, enterprises and one user per role (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        orgs = {}
        self._org(TREE, None, orgs)
        for node, names in UNITS.items():
            for name in names:
                if not Unit.objects.filter(org=orgs[node], name=name).exists():
                    services.create_unit(None, org=orgs[node], name=name)
        enterprises = {}
        for zone, name, short, industry, above in ENTERPRISES:
            found = Enterprise.objects.filter(org=orgs[zone], name=name).first()
            enterprises[short] = found or create_enterprise(
                None,
                org=orgs[zone],
                name=name,
                short_name=short,
                uscc=make_uscc(name, orgs[zone].code),
                above_scale=above,
                industry=IndustryCode.objects.filter(code=industry).first(),
            )
        for username, name, role, node, unit, enterprise in USERS:
            if not User.objects.filter(username=username).exists():
                services.create_user(
                    None,
                    username=username,
                    name=name,
                    password=PASSWORD,
                    org=orgs[node],
                    role=role,
                    unit=unit and Unit.objects.get(org=orgs[node], name=unit),
                    enterprise=enterprise and enterprises[enterprise],
                )
        for zone, kind, name, chain, leader, members in TEAMS:
            if not Team.objects.filter(org=orgs[zone], name=name).exists():
                services.create_team(
                    None,
                    org=orgs[zone],
                    kind=kind,
                    name=name,
                    chain=chain,
                    leader=User.objects.get(username=leader),
                    members=list(User.objects.filter(username__in=members)),
                )
        # Order matters: blockers sit on projects, meetings list blockers, appeals and funds
        # name enterprises and projects, and the reminders read everything before them.
        for demo in (
            projects_demo,
            leads_demo,
            enterprises_demo,
            supervision_demo,
            meetings_demo,
            appeals_demo,
            indicators_demo,
            reports_demo,
            notify_demo,
        ):
            demo.load()
        self._print_logins()

    def _org(self, spec, parent, orgs):
        name, kind, code, children = spec
        org = Org.objects.filter(parent=parent, name=name).first() or services.create_org(
            None, parent=parent, kind=kind, name=name, code=code
        )
        orgs[name] = org
        for child in children:
            self._org(child, org, orgs)

    def _print_logins(self):
        self.stdout.write(
            self.style.SUCCESS("ZoneDesk demo data is loaded. Demo logins / 演示账号:")
        )
        self.stdout.write(f"  {'username':<12}{'password':<16}{'role':<14}organisation")
        for username, name, role, node, unit, enterprise in USERS:
            where = " · ".join(x for x in (node, unit, enterprise) if x)
            self.stdout.write(f"  {username:<12}{PASSWORD:<16}{role:<14}{where}  ({name})")
