#!/usr/bin/env python3
"""Generate a synthetic xiezuo site (and optionally the same corpus as a Hugo site).

Usage:
    python3 bench/gen_corpus.py OUT_DIR --cases N --brands M [--seed S] [--hugo HUGO_DIR]

Python 3.11 standard library only.  The output is a pure function of the
arguments: the same (N, M, seed) always produces byte-identical files.

OUT_DIR follows /work/shared/CONTENT.md:
    site.yaml, cases/case-00001.md ..., brands/brand-00001.md ...,
    bulletins/bulletin-001.md ... (about N/250 issues, each citing existing cases),
    stats/workshops-2021.yaml ... workshops-2024.yaml (22 中西部 provinces + 全国),
    pages/about.md

HUGO_DIR (with --hugo) gets hugo.toml, content/cases, content/brands,
content/about.md and minimal layouts/ templates rendering the same bodies.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sys
import time

# --------------------------------------------------------------------------
# Reference data
# --------------------------------------------------------------------------

# (full name, short name, one-character abbreviation, cities / districts used in text)
PROVINCES = [
    ("北京市", "北京", "京", ["朝阳区", "海淀区", "丰台区", "大兴区", "通州区"]),
    ("天津市", "天津", "津", ["滨海新区", "西青区", "津南区", "武清区", "宝坻区"]),
    ("河北省", "河北", "冀", ["张家口市", "承德市", "保定市", "邢台市"]),
    ("山西省", "山西", "晋", ["吕梁市", "忻州市", "大同市", "临汾市"]),
    ("内蒙古自治区", "内蒙古", "蒙", ["赤峰市", "兴安盟", "乌兰察布市", "通辽市", "呼伦贝尔市"]),
    ("辽宁省", "辽宁", "辽", ["沈阳市", "大连市", "朝阳市", "阜新市"]),
    ("吉林省", "吉林", "吉", ["延边州", "白山市", "白城市", "通化市"]),
    ("黑龙江省", "黑龙江", "黑", ["哈尔滨市", "齐齐哈尔市", "绥化市", "佳木斯市"]),
    ("上海市", "上海", "沪", ["浦东新区", "闵行区", "松江区", "嘉定区", "奉贤区", "金山区"]),
    ("江苏省", "江苏", "苏", ["南京市", "苏州市", "无锡市", "常州市", "南通市", "徐州市"]),
    ("浙江省", "浙江", "浙", ["杭州市", "宁波市", "温州市", "湖州市", "嘉兴市", "绍兴市"]),
    ("安徽省", "安徽", "皖", ["阜阳市", "六安市", "安庆市", "宿州市"]),
    ("福建省", "福建", "闽", ["福州市", "厦门市", "泉州市", "莆田市", "漳州市"]),
    ("江西省", "江西", "赣", ["赣州市", "吉安市", "上饶市", "抚州市"]),
    ("山东省", "山东", "鲁", ["青岛市", "济南市", "烟台市", "潍坊市", "临沂市", "威海市"]),
    ("河南省", "河南", "豫", ["郑州市", "周口市", "信阳市", "南阳市"]),
    ("湖北省", "湖北", "鄂", ["恩施州", "十堰市", "黄冈市", "宜昌市"]),
    ("湖南省", "湖南", "湘", ["湘西州", "怀化市", "邵阳市", "张家界市"]),
    ("广东省", "广东", "粤", ["广州市", "深圳市", "佛山市", "东莞市", "珠海市", "中山市", "惠州市"]),
    ("广西壮族自治区", "广西", "桂", ["百色市", "河池市", "柳州市", "桂林市", "南宁市"]),
    ("海南省", "海南", "琼", ["海口市", "五指山市", "琼中县", "白沙县"]),
    ("重庆市", "重庆", "渝", ["巫山县", "城口县", "酉阳县", "彭水县", "奉节县", "巫溪县"]),
    ("四川省", "四川", "川", ["凉山州", "甘孜州", "阿坝州", "广元市", "巴中市", "南充市"]),
    ("贵州省", "贵州", "黔", ["黔东南州", "黔西南州", "毕节市", "铜仁市", "遵义市", "安顺市", "六盘水市"]),
    ("云南省", "云南", "滇", ["昭通市", "怒江州", "文山州", "红河州", "大理州", "楚雄州"]),
    ("西藏自治区", "西藏", "藏", ["拉萨市", "日喀则市", "林芝市", "昌都市"]),
    ("陕西省", "陕西", "陕", ["安康市", "汉中市", "商洛市", "延安市", "榆林市"]),
    ("甘肃省", "甘肃", "甘", ["定西市", "陇南市", "临夏州", "甘南州", "天水市", "武威市"]),
    ("青海省", "青海", "青", ["海东市", "海南州", "黄南州", "玉树州", "西宁市"]),
    ("宁夏回族自治区", "宁夏", "宁", ["固原市", "吴忠市", "中卫市", "银川市"]),
    ("新疆维吾尔自治区", "新疆", "新", ["喀什地区", "和田地区", "阿克苏地区", "伊犁州"]),
    ("香港特别行政区", "香港", "港", ["九龙", "新界", "港岛"]),
    ("澳门特别行政区", "澳门", "澳", ["澳门半岛", "氹仔"]),
    ("台湾省", "台湾", "台", ["台北市", "台中市", "高雄市"]),
]
PROV = {p[0]: p for p in PROVINCES}
MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}

# The 2021 default east–west pairs of CONTENT.md: (east, west, common short name).
PAIRS = [
    ("北京市", "内蒙古自治区", "京蒙"),
    ("天津市", "甘肃省", "津甘"),
    ("上海市", "云南省", "沪滇"),
    ("江苏省", "陕西省", "苏陕"),
    ("江苏省", "青海省", "苏青"),
    ("浙江省", "四川省", "浙川"),
    ("福建省", "宁夏回族自治区", "闽宁"),
    ("山东省", "重庆市", "鲁渝"),
    ("山东省", "甘肃省", "鲁甘"),
    ("广东省", "广西壮族自治区", "粤桂"),
    ("广东省", "贵州省", "粤黔"),
]
PAIRS_OF: dict[str, list[tuple[str, str, str]]] = {}
for _p in PAIRS:
    PAIRS_OF.setdefault(_p[0], []).append(_p)
    PAIRS_OF.setdefault(_p[1], []).append(_p)

# The 22 中西部 provinces covered by the 就业帮扶车间 statistics.
STAT_PROVINCES = [
    "河北省", "山西省", "内蒙古自治区", "吉林省", "黑龙江省", "安徽省", "江西省", "河南省",
    "湖北省", "湖南省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
]

TASKS = ["创新协作方式", "劳务协作", "劳务品牌", "就业帮扶车间", "以工代赈", "技工教育培训", "人才协作", "考核评价"]

TAGS = [
    "稳岗就业", "务工服务站", "劳务输出", "就业帮扶车间", "技能培训", "劳务品牌", "以工代赈", "易地搬迁",
    "脱贫人口", "防止返贫", "监测对象", "返乡创业", "农民工", "点对点输送", "订单式培训", "技工院校",
    "校企合作", "人才交流", "挂职干部", "专业技术人才", "东西部协作", "对口支援", "产业协作", "消费帮扶",
    "数字经济", "直播带货", "乡村振兴", "公益性岗位", "就业服务", "零工市场", "家政服务", "养老护理",
    "餐饮服务", "建筑劳务", "制造业用工", "电子商务", "乡村工匠", "非遗手工", "妇女就业", "青年就业",
    "高校毕业生", "残疾人就业", "信息化平台", "大数据", "劳务经纪人", "社保服务", "权益维护", "欠薪治理",
    "务工补贴", "交通补助", "稳岗补贴", "创业担保贷款", "考核评价", "帮扶协作", "职业指导", "技能大赛",
    "以赛促训", "县域经济", "就近就业", "转移就业", "园区共建", "飞地经济",
]

BRAND_CATEGORIES = ["餐饮", "家政服务", "养老护理", "建筑", "制造", "农业", "文旅", "手工", "交通运输", "电子商务"]
BRAND_SUFFIX = {
    "餐饮": ["厨师", "面匠", "小吃", "粉师傅", "烹饪师", "拉面师"],
    "家政服务": ["家政", "月嫂", "阿姨", "保洁师", "育婴师"],
    "养老护理": ["护工", "护理员", "康养师", "陪护"],
    "建筑": ["建工", "砌筑工", "钢筋工", "架子工", "装修师傅", "焊工"],
    "制造": ["电子工", "技工", "机械师", "焊接工", "纺织工"],
    "农业": ["农艺师", "茶师", "果农", "菌菇师", "牧工"],
    "文旅": ["导游", "民宿管家", "非遗传承人", "演艺人"],
    "手工": ["绣娘", "银匠", "竹编匠", "织锦工", "陶艺师"],
    "交通运输": ["货车司机", "驾驶员", "快递小哥"],
    "电子商务": ["电商主播", "网店运营师", "直播达人"],
}
BRAND_PREFIX_EXTRA = ["山里", "大山", "高原", "苗岭", "乌蒙", "秦巴", "六盘", "祁连", "武陵", "大别山",
                      "太行", "吕梁山", "滇西", "黔东", "陇原", "天山", "雪域", "巴山", "蒙山", "湘西"]
SKILLS = {
    "餐饮": ["中式烹调师", "中式面点师", "西式面点师", "餐厅服务员"],
    "家政服务": ["家政服务员", "育婴员", "保育师", "整理收纳师"],
    "养老护理": ["养老护理员", "医疗护理员", "保健按摩师", "健康照护师"],
    "建筑": ["砌筑工", "钢筋工", "架子工", "电焊工", "建筑电工", "装饰装修工"],
    "制造": ["电工", "焊工", "车工", "电子产品装配工", "缝纫工"],
    "农业": ["农艺工", "茶艺师", "评茶员", "食用菌生产工", "家畜饲养员"],
    "文旅": ["导游", "民宿管家", "客房服务员", "非遗传承人"],
    "手工": ["手工编织工", "刺绣工", "银饰加工工", "陶瓷工艺师"],
    "交通运输": ["汽车驾驶员", "快递员", "网约配送员"],
    "电子商务": ["电子商务师", "互联网营销师", "直播销售员"],
}

PUBLISHER = "人力资源社会保障部乡村振兴办"

# --------------------------------------------------------------------------
# Text fragments
# --------------------------------------------------------------------------

TOPICS = ["稳岗就业", "劳务输出组织化程度", "就业帮扶车间提质增效", "劳务品牌培育", "技能培训精准性",
          "脱贫人口稳就业", "农村劳动力转移就业", "东西部人才双向交流", "易地搬迁安置区就业",
          "返乡入乡创业", "劳务协作精细化管理", "防止规模性返贫", "技工院校结对帮扶", "以工代赈提质扩面",
          "就业服务均等化", "劳务协作数字化转型", "重点群体就业帮扶", "产业协作带动就业"]
PRINCIPLES = ["“政府引导、市场运作、群众自愿”原则", "“输得出、稳得住、能致富”目标", "“一人一策”精准帮扶思路",
              "“培训一人、就业一人、脱贫一户”工作理念", "“东部所需、西部所能”协作方向",
              "“就近就地就业与外出务工并重”工作思路", "问题导向和目标导向相统一"]
PROBLEMS = ["务工人员信息不对称、组织化程度不高的问题", "脱贫劳动力技能单一、就业稳定性不强的问题",
            "帮扶车间订单不稳、带动能力偏弱的问题", "劳务品牌知名度不高、市场竞争力不强的问题",
            "东部企业招工难与西部群众就业难并存的问题", "外出务工人员权益保障难的问题",
            "易地搬迁群众后续就业支撑不足的问题", "技能培训与岗位需求脱节的问题"]
POLICIES = ["东西部协作工作部署", "《关于继续做好东西部劳务协作工作的通知》", "省委省政府乡村振兴总体部署",
            "两地党委政府协作框架协议", "人社部东西部协作考核评价办法", "巩固拓展脱贫攻坚成果同乡村振兴有效衔接部署"]
MECHS = ["劳务协作联席会议制度", "岗位信息共享机制", "“一人一档”动态管理机制", "就业服务“直通车”机制",
         "跨省劳务协作对接机制", "务工人员“点对点”输送机制", "用工需求季度发布制度", "稳岗返岗联动机制",
         "劳务协作工作专班", "“人社+企业+村组”三级联动体系", "职业技能培训补贴互认机制",
         "务工人员权益维护协作机制", "帮扶车间分级分类管理制度"]
DOCS = ["《劳务协作框架协议》", "《关于进一步深化东西部劳务协作的实施意见》", "《就业帮扶车间认定管理办法》",
        "《劳务品牌建设三年行动方案》", "《东西部技工院校结对帮扶工作方案》", "《稳岗就业专项行动方案》",
        "《以工代赈项目劳务报酬发放管理细则》", "《人才交流协作实施办法》"]
ACTIONS = [
    "{city}人社部门联合{pcity}建立{mech}",
    "两地共同出台{doc}，明确年度目标任务和责任分工",
    "在{pcity}设立{n2}个劳务协作工作站，选派{n2}名驻点工作人员常年开展服务",
    "组织{n3}家重点企业赴{city}举办专场招聘会，提供岗位{n4}个",
    "依托“{pshort}人社”小程序实时发布岗位信息，实现“线上投递、线下面试、集中输送”",
    "开通“点对点”返岗专车{n2}趟次，安排专人全程跟车服务",
    "整合东西部协作资金{money}万元，支持新建和提升就业帮扶车间{n2}个",
    "对吸纳脱贫劳动力就业的车间给予一次性奖补和场地租金减免",
    "围绕家政、养老、餐饮等紧缺工种开展订单式、定向式培训",
    "推动{n2}所技工院校与{pcity}技工院校开展结对帮扶",
    "组建由{n2}名劳务经纪人组成的服务队伍，实行“一人联系一村”",
    "建立外出务工人员台账，逐人掌握就业状态和收入变化",
    "开展“春风行动”“就业援助月”等专项服务活动{n2}场次",
    "将以工代赈项目劳务报酬发放比例提高到项目资金的{pct}%以上",
    "选派{n2}名专业技术人才到{city}开展为期一年的挂职帮扶",
    "搭建东西部劳务协作信息平台，实现两地用工需求和求职意愿精准匹配",
    "落实一次性交通补助和稳岗补贴，引导脱贫劳动力稳定外出务工",
    "在安置区配套建设就业帮扶车间，推动群众“楼上居住、楼下就业”",
    "联合举办技能大赛，以赛促训、以赛促评，带动技能人才成长",
    "引导东部企业将劳动密集型生产环节向{city}梯度转移",
    "建立务工人员权益维护“绿色通道”，及时协调处理劳动争议和欠薪问题",
    "推行“培训+认证+就业”一体化服务模式，培训合格后统一推荐上岗",
]
RESULTS = [
    "累计帮助{n4}名脱贫劳动力实现稳定就业",
    "务工人员人均月收入达到{wage}元",
    "脱贫劳动力外出务工规模保持在{n4}人以上",
    "培训后就业率达到{pct}%",
    "新增就业帮扶车间{n2}个，吸纳脱贫人口就业{n3}人",
    "劳务品牌从业人员超过{n4}人",
    "培育劳务经纪人{n3}名，带动就业{n4}人",
    "实现两地岗位信息“一网通查”，岗位匹配效率提高{pct}%",
    "当地农村劳动力转移就业率提高{pct2}个百分点",
    "有效带动{n3}户脱贫家庭稳定增收",
    "受到两地党委政府的充分肯定",
    "相关做法被人社部在全国推广",
    "协作成效在年度考核评价中位居前列",
    "形成了可复制、可推广的工作经验",
]
OPENERS = ["围绕{topic}", "聚焦{topic}", "坚持{principle}", "针对{problem}", "按照{policy}要求",
           "以{topic}为抓手", "紧扣{topic}目标", "{year}年以来", "近年来", "{prov}上下联动", "在{pair}协作框架下",
           "为进一步提升{topic}水平", "立足两地资源禀赋和产业特点"]
STANDALONE = [
    "{city}地处{region}，是{prov}劳务输出大县（市、区）之一，农村富余劳动力约{n4}人，其中脱贫劳动力{n3}人。",
    "{pcity}制造业、服务业发达，用工需求旺盛，常年缺口约{n4}人，与{city}劳务资源形成良好互补。",
    "自{pair}协作开展以来，两地人社部门坚持“资源共享、优势互补、合作共赢”，推动协作从“输血”向“造血”转变。",
    "实践证明，只有把群众就业需求和企业用工需求有效对接起来，劳务协作才能真正取得实效。",
    "劳务协作不仅是“送出去”，更要“稳得住、留得下、能发展”。",
    "下一步，{city}将继续深化与{pcity}的协作，持续在{topic}上下功夫，推动东西部协作走深走实。",
    "就业帮扶车间是联结企业和群众的重要纽带，既解决了企业用工需求，又让群众在家门口实现了就业。",
    "技能是就业的“金钥匙”。两地坚持“缺什么、补什么，干什么、学什么”，不断提高培训的针对性和实效性。",
    "劳务品牌是推动劳动力从“体力型”向“技能型”转变的重要载体，也是提升劳务输出质量的有效途径。",
    "在推进过程中，两地注重发挥市场作用，引导人力资源服务机构参与劳务协作，形成政府与市场协同发力的格局。",
    "群众的“钱袋子”鼓起来了，“精气神”也提起来了，过上了“挣钱顾家两不误”的好日子。",
    "以工代赈项目既改善了农村基础设施条件，又让群众在家门口获得了劳务报酬，实现了“一举多得”。",
    "两地互派干部{n2}人次，开展专题培训{n2}期，人才“组团式”帮扶成效逐步显现。",
    "考核评价坚持“以结果论英雄”，把脱贫人口就业规模、收入水平等作为硬指标，倒逼责任落实。",
    "{year}年，{city}通过东西部协作渠道输出劳动力{n4}人，其中到{pcity}就业{n3}人，同比增长{pct2}%。",
    "截至{year}年底，{city}共建成就业帮扶车间{n2}个，吸纳就业{n4}人，其中脱贫人口{n3}人。",
]
REGIONS = ["西部山区", "乌蒙山区", "秦巴山区", "武陵山区", "六盘山区", "滇桂黔石漠化区", "高原牧区",
           "革命老区", "民族地区", "黄土高原丘陵沟壑区"]
H2_INTRO = ["一、基本情况", "一、背景情况", "一、工作背景", "一、总体情况"]
H2_PRACTICE = ["二、主要做法", "二、工作举措", "二、具体做法", "二、创新做法"]
H2_RESULT = ["三、取得成效", "三、工作成效", "三、主要成效"]
H2_LESSON = ["四、经验启示", "四、几点体会", "四、下一步打算", "四、经验与思考"]
H3_PRACTICE = ["健全协作机制，凝聚帮扶合力", "强化岗位对接，拓宽就业渠道", "突出技能培训，提升就业质量",
               "培育劳务品牌，扩大品牌效应", "建强帮扶车间，促进就近就业", "优化就业服务，稳住就业岗位",
               "深化人才协作，激发内生动力", "创新协作方式，提升协作效能", "用好以工代赈，拓宽增收渠道",
               "加强权益保障，解决后顾之忧", "强化数据赋能，实现精准匹配", "压实工作责任，严格考核评价",
               "聚焦重点群体，兜牢就业底线", "推动产业协作，做大就业蛋糕"]
CN_NUM = ["（一）", "（二）", "（三）", "（四）", "（五）"]
LEADINS = ["主要做法：", "工作成效：", "经验启示：", "典型案例：", "具体举措：", "创新亮点："]
SEQ = ["一是", "二是", "三是", "四是"]
TITLE_TEMPLATES = [
    "山海同心稳就业 {pair}协作促振兴",
    "{city}：打造“{brandish}”劳务品牌 助力群众稳定增收",
    "{pair}劳务协作“直通车”跑出就业加速度",
    "小车间撬动大就业——{city}就业帮扶车间建设纪实",
    "{city}深化东西部劳务协作 让群众就业有门路",
    "以“技”促就业 {city}技能培训见实效",
    "{city}：“{tag}”助力脱贫劳动力稳岗增收",
    "{pshort}携手{ppshort} 构建劳务协作新格局",
    "搭建“连心桥” 铺就致富路——{city}劳务协作典型经验",
    "{city}创新“{mechshort}”模式 推动{task}提质增效",
    "{year}年{city}东西部协作就业帮扶工作经验",
    "念好“协作经” {city}群众端稳“就业碗”",
    "{city}以工代赈项目带动群众家门口增收",
    "人才“组团式”帮扶激活{city}发展新动能",
]
MECHSHORT = ["劳务协作+", "车间+农户", "培训+就业", "企业+基地+农户", "线上+线下", "党建+劳务", "人社+产业"]
SUBTITLE_TEMPLATES = ["——{city}与{pcity}携手推进{task}", "——{prov}{task}工作典型案例", "——来自{city}的调研报告"]
SOURCES = ["{prov}人力资源和社会保障厅", "{rcity}人力资源和社会保障局", "{prov}乡村振兴局", "{prov}东西部协作工作领导小组办公室"]


_NUMS = {
    "n2": (3, 96), "n3": (120, 980), "n4": (1200, 98000), "pct": (60, 98), "pct2": (3, 25),
    "wage": (3200, 7800), "money": (300, 12000),
}
_POOLS = {
    "topic": TOPICS, "principle": PRINCIPLES, "problem": PROBLEMS, "policy": POLICIES, "mech": MECHS,
    "doc": DOCS, "region": REGIONS, "tag": TAGS, "mechshort": MECHSHORT,
}


class _Slots(dict):
    """Template slots: every occurrence of a number or pool slot draws afresh."""

    def __init__(self, rng: random.Random, ctx: dict):
        super().__init__()
        self.rng, self.ctx = rng, ctx

    def __missing__(self, key):
        if key in _NUMS:
            return self.rng.randint(*_NUMS[key])
        if key in _POOLS:
            return self.rng.choice(_POOLS[key])
        if key == "city":
            return self.rng.choice(self.ctx["cities"])
        if key == "pcity":
            return self.rng.choice(self.ctx["pcities"])
        if key == "rcity":
            return self.rng.choice(self.ctx["rcities"])
        return self.ctx[key]


def _fill(rng: random.Random, tpl: str, ctx: dict) -> str:
    return tpl.format_map(_Slots(rng, ctx))


def sentence(rng: random.Random, ctx: dict) -> str:
    r = rng.random()
    if r < 0.25:
        return _fill(rng, rng.choice(STANDALONE), ctx)
    parts = [rng.choice(OPENERS)] + rng.sample(ACTIONS, rng.randint(1, 2))
    if rng.random() < 0.8:
        parts.append(rng.choice(RESULTS))
    return _fill(rng, "，".join(parts) + "。", ctx)


def paragraph(rng: random.Random, ctx: dict, nmin: int = 2, nmax: int = 4) -> str:
    return "".join(sentence(rng, ctx) for _ in range(rng.randint(nmin, nmax)))


def short_action(rng: random.Random, ctx: dict, action: str | None = None) -> str:
    s = _fill(rng, action or rng.choice(ACTIONS), ctx)
    if rng.random() < 0.5:
        s += "，" + _fill(rng, rng.choice(RESULTS), ctx)
    return s + "。"


def bullet_list(rng: random.Random, ctx: dict, numbered: bool) -> str:
    lines = []
    for i, action in enumerate(rng.sample(ACTIONS, rng.randint(3, 5))):
        mark = f"{i + 1}." if numbered else "-"
        lines.append(f"{mark} {short_action(rng, ctx, action)}")
    return "\n".join(lines)


def gfm_table(rng: random.Random, ctx: dict, year: int) -> str:
    if rng.random() < 0.5:
        rows = ["| 年度 | 输出劳动力（人） | 就业帮扶车间（个） | 吸纳脱贫人口（人） | 培训人次 |",
                "| --- | ---: | ---: | ---: | ---: |"]
        base = rng.randint(2000, 40000)
        for y in range(max(2021, year - rng.randint(1, 3)), year + 1):
            base = int(base * rng.uniform(1.02, 1.25))
            rows.append(f"| {y}年 | {base} | {rng.randint(5, 300)} | {rng.randint(100, 9000)} | {rng.randint(300, 20000)} |")
    else:
        rows = ["| 指标 | 目标任务 | 完成情况 | 完成率 |", "| :--- | ---: | ---: | ---: |"]
        names = ["输出脱贫劳动力（人）", "就业帮扶车间（个）", "技能培训（人次）", "劳务品牌（个）",
                 "以工代赈劳务报酬（万元）", "互派干部人才（人次）"]
        for name in rng.sample(names, rng.randint(3, 5)):
            goal = rng.randint(10, 20000)
            done = int(goal * rng.uniform(0.9, 1.6))
            rows.append(f"| {name} | {goal} | {done} | {done * 100 // goal}% |")
    return "\n".join(rows)


def code_block(rng: random.Random, ctx: dict) -> str:
    if rng.random() < 0.5:
        return ("```text\n"
                f"务工服务热线：0{rng.randint(100, 999)}-{rng.randint(1000000, 9999999)}\n"
                "报名流程：线上登记 → 岗位匹配 → 体检培训 → 统一输送 → 跟踪回访\n"
                f"服务地址：{_fill(rng, '{pcity}', ctx)}劳务协作工作站\n"
                "```")
    return ("```json\n"
            "{\n"
            f'  "worker_id": "{ctx["pshort"]}-{rng.randint(100000, 999999)}",\n'
            f'  "status": "在岗",\n'
            f'  "city": "{_fill(rng, "{pcity}", ctx)}",\n'
            f'  "monthly_income": {rng.randint(3000, 8000)}\n'
            "}\n"
            "```")


# --------------------------------------------------------------------------
# YAML helpers
# --------------------------------------------------------------------------

_YAML_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")


def yq(s: str) -> str:
    """A YAML scalar for s: plain when unambiguous, double-quoted otherwise."""
    plain = (
        s != ""
        and s[0] not in _YAML_INDICATORS
        and not s[0].isspace()
        and not s[-1].isspace()
        and ": " not in s
        and " #" not in s
        and not s.endswith(":")
        and "\n" not in s
        and not any(c in s for c in ",[]{}")  # safe inside flow sequences too
        and s.lower() not in ("true", "false", "yes", "no", "null", "on", "off", "~")
        and not s[0].isdigit()
    )
    return s if plain else json.dumps(s, ensure_ascii=False)


def yflow(items: list[str]) -> str:
    return "[" + ", ".join(yq(x) for x in items) + "]"


# --------------------------------------------------------------------------
# Corpus model
# --------------------------------------------------------------------------

def province_form(rng: random.Random, full: str) -> str:
    r = rng.random()
    if r < 0.08:
        return PROV[full][2]
    if r < 0.30:
        return PROV[full][1]
    return full


def pick_case_province(rng: random.Random, i: int):
    """Return (province, pair tuple or None)."""
    if i < len(PROVINCES):  # every provincial division appears at least once
        prov = PROVINCES[i][0]
        pairs = PAIRS_OF.get(prov)
        return prov, (rng.choice(pairs) if pairs else None)
    if rng.random() < 0.78:
        pair = rng.choice(PAIRS)
        prov = pair[1] if rng.random() < 0.7 else pair[0]
        return prov, pair
    prov = rng.choice(PROVINCES)[0]
    pairs = PAIRS_OF.get(prov)
    return prov, (rng.choice(pairs) if pairs else None)


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def make_ctx(prov: str, pair) -> dict:
    if pair:
        partner = pair[0] if pair[1] == prov else pair[1]
        pair_short = pair[2]
        east, west = pair[0], pair[1]
    else:
        partner = "广东省" if prov != "广东省" else "贵州省"
        pair_short = PROV[partner][2] + PROV[prov][2] if partner == "广东省" else PROV[prov][2] + PROV[partner][2]
        east, west = (partner, prov) if partner == "广东省" else (prov, partner)
    return {
        "year": 2023,
        "task": "劳务协作",
        "brandish": "山里护工",
        "prov": prov,
        "pshort": PROV[prov][1],
        "partner": partner,
        "ppshort": PROV[partner][1],
        "pair": pair_short,
        # labour flows west -> east: {city} is on the western (sending) side, {pcity} the eastern one,
        # whichever side reports; {rcity} is a city of the reporting province.
        "cities": PROV[west][3],
        "pcities": PROV[east][3],
        "rcities": PROV[prov][3],
    }


def case_body(rng: random.Random, ctx: dict, year: int, brand_link) -> str:
    target = rng.randint(1500, 2750)
    intro = [paragraph(rng, ctx, 2, 3)]
    if rng.random() < 0.5:
        intro.append(paragraph(rng, ctx, 1, 2))

    # 主要做法: three or four ### subsections
    subs = []
    for k, h in enumerate(rng.sample(H3_PRACTICE, rng.randint(3, 4))):
        blocks = [paragraph(rng, ctx, 1, 2)]
        subs.append([f"### {CN_NUM[k]}{h}", blocks])
    # list / lead-in blocks placed into random subsections
    subs[0][1].append(bullet_list(rng, ctx, numbered=False))
    subs[rng.randrange(len(subs))][1].append(bullet_list(rng, ctx, numbered=True))
    seq = "；".join(f"**{SEQ[j]}**{short_action(rng, ctx, a)[:-1]}"
                   for j, a in enumerate(rng.sample(ACTIONS, rng.randint(2, 4)))) + "。"
    subs[rng.randrange(len(subs))][1].append(seq)
    if rng.random() < 0.6:
        subs[rng.randrange(len(subs))][1].insert(0, f"**{rng.choice(LEADINS)}**{paragraph(rng, ctx, 1, 2)}")
    if brand_link is not None:
        name, slug = brand_link
        subs[rng.randrange(len(subs))][1].append(
            f"在劳务品牌培育方面，重点打造[{name}](../brands/{slug}.md)等品牌，"
            + _fill(rng, rng.choice(RESULTS), ctx) + "。")
    if rng.random() < 0.08:
        subs[rng.randrange(len(subs))][1].append(code_block(rng, ctx))

    results = [f"**工作成效：**{paragraph(rng, ctx, 1, 2)}", gfm_table(rng, ctx, year)]
    lessons = [paragraph(rng, ctx, 1, 2)]
    footnote = None
    if rng.random() < 0.1:
        lessons[0] += "[^1]"
        footnote = f"[^1]: 数据来源：{ctx['prov']}人力资源和社会保障厅{year}年统计，截至当年12月底。"

    def assemble() -> str:
        out = []
        out.extend(intro[:1])
        out.append(f"## {rng_h[0]}")
        out.extend(intro[1:] if len(intro) > 1 else [])
        out.append(f"## {rng_h[1]}")
        for head, blocks in subs:
            out.append(head)
            out.extend(blocks)
        out.append(f"## {rng_h[2]}")
        out.extend(results)
        out.append(f"## {rng_h[3]}")
        out.extend(lessons)
        if footnote:
            out.append(footnote)
        return "\n\n".join(out) + "\n"

    rng_h = [rng.choice(H2_INTRO), rng.choice(H2_PRACTICE), rng.choice(H2_RESULT), rng.choice(H2_LESSON)]
    if len(intro) == 1:
        intro.append(paragraph(rng, ctx, 1, 2))
    body = assemble()
    k = 0
    while len(body) < target:
        if k % 4 == 3:
            lessons.append(paragraph(rng, ctx, 1, 2))
        else:
            subs[k % len(subs)][1].insert(1, paragraph(rng, ctx, 1, 2))
        k += 1
        body = assemble()
    return body


def brand_body(rng: random.Random, ctx: dict, name: str, category: str, workers: int) -> str:
    out = [f"“{name}”是{ctx['prov']}重点培育的{category}类劳务品牌。" + paragraph(rng, ctx, 1, 2),
           "## 品牌简介", paragraph(rng, ctx, 1, 2),
           "## 培育举措", bullet_list(rng, ctx, numbered=rng.random() < 0.5),
           "## 发展成效",
           f"目前，“{name}”从业人员达{workers}人。" + paragraph(rng, ctx, 1, 2)]
    if rng.random() < 0.3:
        out += ["### 代表人物", paragraph(rng, ctx, 1, 2)]
    return "\n\n".join(out) + "\n"


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------

def write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def prepare_dir(path: str, marker: str, subdirs: list[str]) -> None:
    """Create path, or clear the parts we generate if it is one of our outputs."""
    if os.path.isdir(path) and os.listdir(path):
        if not os.path.exists(os.path.join(path, marker)):
            sys.exit(f"gen_corpus: {path} is not empty and has no {marker}; refusing to overwrite it")
        for d in subdirs:
            p = os.path.join(path, d)
            if os.path.isdir(p):
                shutil.rmtree(p)
    os.makedirs(path, exist_ok=True)
    for d in subdirs:
        os.makedirs(os.path.join(path, d), exist_ok=True)


def generate(out: str, n_cases: int, n_brands: int, seed: int, hugo: str | None) -> dict:
    rng = random.Random(seed)
    prepare_dir(out, "site.yaml", ["cases", "brands", "bulletins", "stats", "pages"])
    if hugo:
        prepare_dir(hugo, "hugo.toml", ["content", "layouts"])
        for d in ("cases", "brands", "tags", "provinces", "tasks"):
            os.makedirs(os.path.join(hugo, "content", d), exist_ok=True)

    write(os.path.join(out, "site.yaml"),
          "title: 东西部人社协作经验交流（基准测试语料）\n"
          "base_url: http://localhost/\n"
          "language: zh-CN\n"
          f"publisher: {PUBLISHER}\n")

    # ---- brands (generated first so cases can link to them) ----
    brands = []
    used_names: set[str] = set()
    for i in range(1, n_brands + 1):
        prov = PROVINCES[(i - 1) % len(PROVINCES)][0] if i <= len(PROVINCES) else (
            rng.choice(STAT_PROVINCES + [p[1] for p in PAIRS]) if rng.random() < 0.85 else rng.choice(PROVINCES)[0])
        pairs = PAIRS_OF.get(prov)
        ctx = make_ctx(prov, rng.choice(pairs) if pairs else None)
        category = rng.choice(BRAND_CATEGORIES)
        city = rng.choice(ctx["rcities"])
        for attempt in range(20):
            pre = rng.choice([city.rstrip("市州县区盟"), ctx["pshort"], rng.choice(BRAND_PREFIX_EXTRA)])
            name = pre + rng.choice(BRAND_SUFFIX[category])
            if attempt > 10:
                name = rng.choice(BRAND_PREFIX_EXTRA) + pre + rng.choice(BRAND_SUFFIX[category])
            if name not in used_names:
                break
        else:
            name = f"{name}（{i}）"
        used_names.add(name)
        slug = f"brand-{i:05d}"
        workers = rng.randint(800, 300000)
        summary = f"{name}是{ctx['pshort']}打造的{category}类劳务品牌，从业人员{workers}人，" + \
            rng.choice(["带动群众稳定增收。", "已成为当地群众增收致富的“金字招牌”。", "在东部地区享有较高知名度。"])
        body = brand_body(rng, ctx, name, category, workers)
        fm = [f"name: {yq(name)}", f"province: {province_form(rng, prov)}", f"city: {city}",
              f"category: {category}", f"skills: {yflow(rng.sample(SKILLS[category], rng.randint(1, 3)))}",
              f"workers: {workers}",
              f"workers_note: {rng.choice(['截至2024年底累计实现就业', '2023年在岗人数', '累计培训输出人次'])}"]
        if rng.random() < 0.3:
            fm.append(f"honors: [{rng.randint(2021, 2024)}年全国劳务品牌形象代言人]")
        dests = [p[0] for p in PAIRS if p[1] == prov] or ["广东省", "浙江省", "江苏省"]
        fm.append(f"destinations: {yflow(sorted(set(dests)))}")
        fm.append(f"summary: {yq(summary)}")
        write(os.path.join(out, "brands", slug + ".md"), "---\n" + "\n".join(fm) + "\n---\n" + body)
        brands.append((name, slug))
        if hugo:
            hfm = ["---", f"title: {json.dumps(name, ensure_ascii=False)}",
                   f"provinces: [{json.dumps(prov, ensure_ascii=False)}]",
                   f"summary: {json.dumps(summary, ensure_ascii=False)}",
                   f"category: {json.dumps(category, ensure_ascii=False)}",
                   f"workers: {workers}", "---"]
            write(os.path.join(hugo, "content", "brands", slug + ".md"), "\n".join(hfm) + "\n" + body)

    # ---- cases ----
    cases = []  # (date, slug, title)
    total_chars = 0
    d0, d1 = dt.date(2021, 1, 1), dt.date(2025, 12, 31)
    for i in range(1, n_cases + 1):
        prov, pair = pick_case_province(rng, i - 1)
        ctx = make_ctx(prov, pair)
        date = random_date(rng, d0, d1)
        ctx["year"] = date.year
        task = rng.choice(TASKS)
        ctx["task"] = task
        ctx["brandish"] = rng.choice(BRAND_PREFIX_EXTRA) + rng.choice(BRAND_SUFFIX[rng.choice(BRAND_CATEGORIES)])
        title = _fill(rng, rng.choice(TITLE_TEMPLATES), ctx)
        tags = rng.sample(TAGS, rng.randint(2, 4))
        source = _fill(rng, rng.choice(SOURCES), ctx)
        summary = short_action(rng, ctx)
        if len(summary) > 110:
            summary = summary[:108] + "。"
        brand_link = brands[rng.randrange(len(brands))] if brands and rng.random() < 0.2 else None
        body = case_body(rng, ctx, date.year, brand_link)
        total_chars += len(body)
        slug = f"case-{i:05d}"

        zh = rng.random() < 0.03  # a few authors use the Chinese key aliases
        k = (lambda en, cn: cn if zh else en)
        fm = [f"{k('title', '标题')}: {yq(title)}"]
        if rng.random() < 0.4:
            fm.append(f"{k('subtitle', '副标题')}: {yq(_fill(rng, rng.choice(SUBTITLE_TEMPLATES), ctx))}")
        fm.append(f"{k('date', '日期')}: {date.isoformat()}")
        fm.append(f"{k('province', '省份')}: {province_form(rng, prov)}")
        if pair:
            if rng.random() < 0.05:
                fm.append(f"{k('pair', '结对')}: {{east: {pair[0]}, west: {pair[1]}}}")
            else:
                partner = ctx["partner"]
                fm.append(f"{k('pair', '结对')}: {partner if rng.random() < 0.8 else PROV[partner][1]}")
        fm.append(f"{k('task', '任务')}: {task}")
        if rng.random() < 0.6:
            fm.append(f"{k('tags', '标签')}: {yflow(tags)}")
        else:
            fm.append(f"{k('tags', '标签')}:")
            fm.extend(f"  - {yq(t)}" for t in tags)
        fm.append(f"{k('source', '来源')}: {yq(source)}")
        fm.append(f"{k('summary', '摘要')}: {yq(summary)}")
        write(os.path.join(out, "cases", slug + ".md"), "---\n" + "\n".join(fm) + "\n---\n" + body)
        cases.append((date, slug, title))

        if hugo:
            hbody = body
            if brand_link is not None:
                hbody = hbody.replace(f"(../brands/{brand_link[1]}.md)", f"(/brands/{brand_link[1]}/)")
            j = lambda v: json.dumps(v, ensure_ascii=False)
            hfm = ["---", f"title: {j(title)}", f"date: {date.isoformat()}",
                   f"provinces: [{j(prov)}]", f"tasks: [{j(task)}]",
                   "tags: [" + ", ".join(j(t) for t in tags) + "]",
                   f"summary: {j(summary)}", f"source: {j(source)}", "---"]
            write(os.path.join(hugo, "content", "cases", slug + ".md"), "\n".join(hfm) + "\n" + hbody)

    # ---- bulletins: about N/250 issues, each carrying earlier cases ----
    n_bull = max(1, round(n_cases / 250)) if n_cases else 0
    by_date = sorted(cases)
    issue_of_year: dict[int, int] = {}
    b0, b1 = dt.date(2021, 3, 31), dt.date(2025, 12, 20)
    for b in range(n_bull):
        bdate = b0 + dt.timedelta(days=((b1 - b0).days * b) // max(1, n_bull - 1)) if n_bull > 1 else b1
        issue_of_year[bdate.year] = issue_of_year.get(bdate.year, 0) + 1
        issue = issue_of_year[bdate.year]
        earlier = [c for c in by_date if c[0] <= bdate] or by_date
        pool = earlier[-200:]
        carried = rng.sample(pool, min(len(pool), rng.randint(4, 8)))
        refs = [f"../cases/{c[1]}.md" if rng.random() < 0.1 else c[1] for c in carried]
        ctx = make_ctx("贵州省", PAIRS[-1])
        ctx.update(year=bdate.year, task=rng.choice(TASKS))
        body = ("**编者按：**" + paragraph(rng, ctx, 2, 3) + "\n\n"
                + "本期刊发" + "、".join(f"《{c[2]}》" for c in carried[:3]) + "等典型经验，供各地学习借鉴。\n\n"
                + paragraph(rng, ctx, 1, 2) + "\n")
        fm = [f"year: {bdate.year}", f"issue: {issue}", f"total_issue: {b + 1}",
              f"date: {bdate.isoformat()}", f"publisher: {PUBLISHER}",
              f"cases: {yflow(refs)}",
              "distribution: {报: 人力资源社会保障部部领导, 送: 各省、自治区、直辖市人力资源社会保障厅（局）, 发: 部内各司局}"]
        write(os.path.join(out, "bulletins", f"bulletin-{b + 1:03d}.md"), "---\n" + "\n".join(fm) + "\n---\n" + body)

    # ---- stats: one file per year, 22 provinces + 全国 ----
    base = {p: (rng.randint(300, 3200), rng.uniform(22, 55)) for p in STAT_PROVINCES}
    for year in range(2021, 2025):
        lines = [f"# 就业帮扶车间统计（{year}年，截至12月31日）"]
        tot = {"workshops": 0, "employed": 0, "poverty_alleviated": 0, "monitored": 0, "relocation_site": 0}
        for p in STAT_PROVINCES:
            ws0, per = base[p]
            ws = int(ws0 * (1 + 0.06 * (year - 2021)) * rng.uniform(0.95, 1.05))
            emp = int(ws * per)
            pa = int(emp * rng.uniform(0.35, 0.6))
            mon = int(emp * rng.uniform(0.01, 0.06))
            rel = int(ws * rng.uniform(0.15, 0.4))
            for key, v in zip(tot, (ws, emp, pa, mon, rel)):
                tot[key] += v
            lines += [f"- year: {year}", f"  province: {p if rng.random() < 0.85 else PROV[p][1]}",
                      f"  workshops: {ws}", f"  employed: {emp}", f"  poverty_alleviated: {pa}",
                      f"  monitored: {mon}", f"  relocation_site: {rel}",
                      f"  source: {p}人力资源和社会保障厅"]
            if rng.random() < 0.2:
                lines.append("  note: 车间数为省人社部门认定数")
        lines += [f"- year: {year}", "  province: 全国", "  scope: 中西部22省份"]
        lines += [f"  {key}: {v}" for key, v in tot.items()]
        lines += ["  source: 人力资源社会保障部"]
        write(os.path.join(out, "stats", f"workshops-{year}.yaml"), "\n".join(lines) + "\n")

    # ---- pages ----
    about_body = ("本站集中展示东西部人社协作中的典型经验、劳务品牌、工作简报和就业帮扶车间统计数据，"
                  "供各地学习交流。\n\n## 栏目说明\n\n- 典型经验：各地报送的东西部劳务协作典型案例。\n"
                  "- 劳务品牌：各地培育的劳务品牌介绍。\n- 工作简报：东西部人社协作工作简报。\n"
                  "- 数据统计：就业帮扶车间建设情况。\n\n## 联系我们\n\n"
                  f"主办单位：{PUBLISHER}\n")
    write(os.path.join(out, "pages", "about.md"),
          "---\ntitle: 关于本站\nslug: about\nsummary: 本站简介\n---\n" + about_body)

    if hugo:
        write_hugo_scaffold(hugo, about_body)

    return {"cases": n_cases, "brands": n_brands, "bulletins": n_bull, "body_chars": total_chars}


# --------------------------------------------------------------------------
# Hugo scaffold: config and minimal but real templates
# --------------------------------------------------------------------------

HUGO_TOML = """\
baseURL = "http://localhost/"
locale = "zh-CN"
defaultContentLanguage = "zh"
title = "东西部人社协作经验交流（基准测试语料）"
hasCJKLanguage = true
enableRobotsTXT = true
disableKinds = []

[params]
publisher = "%s"

# Site navigation. (A `range site.Sections` in baseof would do the same, but in Hugo 0.168 it
# walks the whole page tree on every call: quadratic, 2.3x the build time at 5,000 cases.)
[[menus.main]]
name = "典型经验"
url = "/cases/"
weight = 1
[[menus.main]]
name = "劳务品牌"
url = "/brands/"
weight = 2
[[menus.main]]
name = "省份"
url = "/provinces/"
weight = 3
[[menus.main]]
name = "重点任务"
url = "/tasks/"
weight = 4
[[menus.main]]
name = "标签"
url = "/tags/"
weight = 5
[[menus.main]]
name = "关于本站"
url = "/about/"
weight = 6

[taxonomies]
tag = "tags"
province = "provinces"
task = "tasks"

[pagination]
pagerSize = 20

# The home feed carries the 20 newest entries (Hugo's default is every page of the site).
[services.rss]
limit = 20

# RSS only for the home page (xiezuo writes /atom.xml and /bulletins/atom.xml).
[outputs]
home = ["html", "rss"]
section = ["html"]
taxonomy = ["html"]
term = ["html"]
page = ["html"]

[markup.goldmark.renderer]
unsafe = false
""" % PUBLISHER

LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} - {{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Summary }}{{ . | plainify | truncate 120 }}{{ else }}{{ site.Title }}{{ end }}">
<meta name="publisher" content="{{ site.Params.publisher }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ with site.Home.OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}" title="{{ site.Title }}">{{ end }}
<style>body{max-width:52rem;margin:0 auto;padding:1rem;font-family:sans-serif;line-height:1.7}nav a{margin-right:1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}</style>
</head>
<body>
<header>
<a href="{{ "/" | relURL }}"><strong>{{ site.Title }}</strong></a>
<nav>
{{ range site.Menus.main }}<a href="{{ .URL | relURL }}">{{ .Name }}</a>{{ end }}
</nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
<footer><p>主办单位：{{ site.Params.publisher }}</p></footer>
</body>
</html>
""",
    "home.html": """\
{{ define "main" }}
<h1>{{ site.Title }}</h1>
<h2>最新典型经验</h2>
<ul>
{{ range first 10 (where site.RegularPages "Section" "cases") }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}
</ul>
<h2>栏目</h2>
<ul>
{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>（{{ len .Pages }}）</li>{{ end }}
</ul>
<h2>省份</h2>
<p>{{ range site.Taxonomies.provinces.ByCount }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>（{{ .Count }}） {{ end }}</p>
{{ end }}
""",
    "page.html": """\
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="meta">
{{ if not .Date.IsZero }}<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年01月02日" }}</time>{{ end }}
{{ with .Params.source }}来源：{{ . }}{{ end }}
</p>
{{ range $tax := slice "provinces" "tasks" "tags" }}
{{ with $.GetTerms $tax }}<p class="terms">{{ (index . 0).Parent.LinkTitle }}：{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
{{ end }}
{{ .Content }}
</article>
<nav class="prevnext">
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">上一篇：{{ .LinkTitle }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">下一篇：{{ .LinkTitle }}</a>{{ end }}
</nav>
{{ end }}
""",
    "section.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ $pager := .Paginate .Pages }}
{{ partial "items.html" $pager.Pages }}
{{ partial "pager.html" $pager }}
{{ end }}
""",
    "taxonomy.html": """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>（{{ .Count }}）</li>{{ end }}
</ul>
{{ end }}
""",
    "term.html": """\
{{ define "main" }}
<h1>{{ .Parent.Title }}：{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
{{ partial "items.html" $pager.Pages }}
{{ partial "pager.html" $pager }}
{{ end }}
""",
    "404.html": """\
{{ define "main" }}
<h1>页面不存在</h1>
<p><a href="{{ "/" | relURL }}">返回首页</a></p>
{{ end }}
""",
    "_partials/items.html": """\
<ul class="items">
{{ range . }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ if not .Date.IsZero }} <time>{{ .Date.Format "2006-01-02" }}</time>{{ end }}
<p>{{ .Summary | plainify | truncate 120 }}</p></li>
{{ end }}
</ul>
""",
    "_partials/pager.html": """\
{{ if gt .TotalPages 1 }}
<nav class="pager">
{{ with .Prev }}<a href="{{ .URL }}">上一页</a>{{ end }}
第 {{ .PageNumber }} / {{ .TotalPages }} 页
{{ with .Next }}<a href="{{ .URL }}">下一页</a>{{ end }}
</nav>
{{ end }}
""",
}


def write_hugo_scaffold(hugo: str, about_body: str) -> None:
    write(os.path.join(hugo, "hugo.toml"), HUGO_TOML)
    for rel, text in LAYOUTS.items():
        path = os.path.join(hugo, "layouts", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write(path, text)
    c = os.path.join(hugo, "content")
    write(os.path.join(c, "_index.md"), "---\ntitle: 首页\n---\n")
    write(os.path.join(c, "cases", "_index.md"), "---\ntitle: 典型经验\n---\n")
    write(os.path.join(c, "brands", "_index.md"), "---\ntitle: 劳务品牌\n---\n")
    write(os.path.join(c, "tags", "_index.md"), "---\ntitle: 标签\n---\n")
    write(os.path.join(c, "provinces", "_index.md"), "---\ntitle: 省份\n---\n")
    write(os.path.join(c, "tasks", "_index.md"), "---\ntitle: 重点任务\n---\n")
    write(os.path.join(c, "about.md"), "---\ntitle: 关于本站\nslug: about\nsummary: 本站简介\n---\n" + about_body)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate a synthetic xiezuo benchmark corpus.")
    ap.add_argument("out", help="site directory to write (site.yaml, cases/, brands/, ...)")
    ap.add_argument("--cases", type=int, default=10000, help="number of case studies (default 10000)")
    ap.add_argument("--brands", type=int, default=1000, help="number of labour brands (default 1000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--hugo", metavar="HUGO_DIR", help="also write the same corpus as a Hugo site here")
    a = ap.parse_args(argv)
    if a.cases < 0 or a.brands < 0:
        ap.error("--cases and --brands must be >= 0")
    t0 = time.perf_counter()
    info = generate(a.out, a.cases, a.brands, a.seed, a.hugo)
    el = time.perf_counter() - t0
    avg = info["body_chars"] // max(1, info["cases"])
    print(f"gen_corpus: {info['cases']} cases (avg body {avg} chars), {info['brands']} brands, "
          f"{info['bulletins']} bulletins, 4 stats files -> {a.out}"
          + (f" and Hugo site {a.hugo}" if a.hugo else "") + f" in {el:.2f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
