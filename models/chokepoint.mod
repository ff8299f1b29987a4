/* chokepoint.mod: the chokepoint MIP in GNU MathProg, the readable twin of
 * the C builder (src/model/build.c).  Every set, parameter, variable and
 * constraint below is the one docs/formulation.md documents; the comment
 * above each names its section.  The data section is written by
 *
 *     chokepoint export PLAN.xml --mathprog-data plan.dat [overrides]
 *
 * with the same what-if overrides as `solve` (budget, objective, force,
 * exclude, scenarios, measure, max-share, shortage penalty), and solved by
 *
 *     glpsol --math models/chokepoint.mod --data plan.dat
 *
 * The data are the plan's own figures in the plan's units (t/yr,
 * millions, years, t/t): start windows, online years, ramp-up, scenario
 * effects, requirements, scaling and every objective coefficient are
 * derived here, as the builder derives them.  Two things are computed by
 * the exporter because they are plan semantics, not model: the final
 * demand interpolated between the plan's <demand> points (per year), and
 * each producer's country (a project without one takes its site's).
 *
 * The optimal objective equals the C model's (tests/unit/test_mathprog.c
 * checks it to 1e-6 relative on the bundled and generated plans);
 * models/README.md says what is and is not compared. */

/* ------------------------------------------------------------------ */
/* Section 1: sets and indices; section 2 "Scaling"                    */

param first_year integer;
param last_year integer, >= first_year;
set Y := first_year .. last_year;               # years of the horizon

param qty_scale > 0;     # t/yr per model unit: 1000, quantities in kt/yr
param money_scale > 0;   # millions per model money unit: 1

set COUNTRY;
param risk{COUNTRY} >= 0, <= 1;   # 1 = the chokepoint, 0 = trusted member

set COMM;                         # commodities, one per stage of a chain
param weight{COMM} >= 0;          # w_c, objective weight
param demand{COMM, Y} >= 0, default 0;  # D(c,y), t/yr (interpolated)
set MADE_FROM dimen 2;            # (c2, c): c2 is made from c
param recipe{MADE_FROM} >= 0;     # ratio(c2 <- c), t of c per t of c2

set FAC;                          # existing facilities
set PROJ;                         # candidate projects
set PROD := FAC union PROJ;       # producers (one namespace in the plan)
param out{PROD} symbolic in COMM; # out(g)
param cty{PROD} symbolic, default '-';  # country; '-' = none (risk 0)
set INPUT within PROD cross COMM;
param inp{INPUT} >= 0;            # in(g,c), t/t
param fcap{FAC} >= 0;             # capF, t/yr
param avail{FAC} >= 0, <= 1;      # share available to the bloc
param pcap{PROJ} >= 0;            # capP, t/yr at full ramp

/* projects: permit, construction, start window, ramp-up (section 3) */
param pending{PROJ} binary, default 0;      # 1 = permit still pending
param permit_years{PROJ} integer, >= 0, default 0;
param build_years{PROJ} integer, >= 0;
param earliest{PROJ} integer, default 0;    # 0 = the horizon's first
param latest{PROJ} integer, default 0;      # 0 = the horizon's last
param nramp{PROJ} integer, >= 0, default 0;
param ramp{p in PROJ, k in 0 .. nramp[p] - 1} >= 0, <= 1;

/* financing options: commitment (millions), instrument, schedule */
set OPT{PROJ};
param commit{p in PROJ, o in OPT[p]} >= 0;
param instrument{p in PROJ, o in OPT[p]} symbolic;
param nsched{p in PROJ, o in OPT[p]} integer, >= 0, default 0;
param sched{p in PROJ, o in OPT[p], k in 0 .. nsched[p,o] - 1} >= 0;
set PRICE_SUPPORT := {'offtake', 'price-floor'};  # instruments that do

/* additionality (section 7h): committed projects (in the baseline, not
   fundable), options that buy contracts out, the share of a producer's
   output contracted to buyers outside the bloc (risk > 0) */
set COMMITTED within PROJ, default {};
param buyout{p in PROJ, o in OPT[p]} binary, default 0;
param outshare{PROD, Y} >= 0, <= 1, default 0;

/* commodity-specific feeds (section 7i): the process a producer's output
   needs (only plants running it take it), the processes plants run */
param needs_process{PROD} symbolic, default '-';   # '-' = any plant
set RUNS dimen 2;                             # (h, process)

/* breakeven price (currency per t) of the commodity it is quoted in */
set BREAKEVEN within PROJ, default {};
param breakeven{BREAKEVEN};
param breakeven_of{p in BREAKEVEN} symbolic in COMM, default out[p];

/* infrastructure (section 6, infra rows) */
set SITE;
set RES;
param exist{SITE, RES} >= 0, default 0;     # exist(s,r)
param site{PROJ} symbolic, default '-';     # '-' = no infrastructure gate
set NEED within PROJ cross RES;
param need{NEED} >= 0;                      # need(p,r)
set UPG;
param usite{UPG} symbolic in SITE;
param ures{UPG} symbolic in RES;
param uamount{UPG} >= 0;
param ucost{UPG} >= 0;
param ubuild{UPG} integer, >= 0;
param uearliest{UPG} integer, default 0;
param ulatest{UPG} integer, default 0;
param unsched{UPG} integer, >= 0, default 0;
param usched{u in UPG, k in 0 .. unsched[u] - 1} >= 0;

/* budget: total (has_total = 0: none) and per-year limits */
param has_total binary;
param total_limit >= 0, default 0;
set LIMIT_YEARS within Y, default {};
param limit{LIMIT_YEARS} >= 0;

/* what the budget limits (docs/finance.md, docs/formulation.md 6
   "Instrument terms and caps"): 0 commitment, 1 outstanding, 2 expected
   cost, 3 contingent liability; and the <cap> rows per measure.  The
   yearly figures of an option start come from its instrument terms,
   computed by the tool (include/ckp/terms.h) and written as data:
   fig[p,o,t,m,y] in year y, figtot[p,o,t,m] what a total adds up
   (flows summed, stocks their peak).  Upgrades and stockpiles count in
   the flow measures (0, 2) only, as payments. */
param bmeasure integer, >= 0, <= 3, default 0;
set CAPY dimen 2;                     # (measure, year) with a cap
param caplim{CAPY} >= 0;
set CAPT within 0 .. 3, default {};    # measures with a total cap
param captot{CAPT} >= 0;

/* objective settings, after the command-line overrides */
param minmax binary;              # 1 = min-max (weakest stage per year)
param penalty > 1;                # pi, shortage penalty
param tie_break >= 0;             # tau_tb, share-years
param max_share >= 0, <= 1, default 0;   # S of --max-share; 0 = off
param min_cost binary, default 0; # goal mode (section 7c)
param target >= 0, default 0;     # T
param target_base >= 0, default 0;# B, the baseline's value
param worst_case binary, default 0;   # scenario measure (section 7d)

/* what-if: forced, excluded, baseline */
set FORCED within PROJ, default {};
set EXCLUDED within PROJ, default {};
param no_projects binary, default 0;

/* stockpiles (section 7d) */
set STOCK;
param st_comm{STOCK} symbolic in COMM;
param st_tonnes{STOCK} >= 0;      # H_k, t
param st_release{STOCK} >= 0;     # L_k, t/yr
param st_cost{STOCK} >= 0;        # C_k, millions
param st_year{STOCK} integer;     # t_k

/* scenarios (section 7d): one implicit scenario when the plan has none */
set SCEN;
param prob{SCEN} > 0, <= 1;
set XR{SCEN}, default {};                     # <export-restriction> entries
param xr_country{s in SCEN, i in XR[s]} symbolic in COUNTRY;
param xr_comm{s in SCEN, i in XR[s]} symbolic, default '*';  # '*' = all
param xr_from{s in SCEN, i in XR[s]} integer;
param xr_to{s in SCEN, i in XR[s]} integer;
param xr_scale{s in SCEN, i in XR[s]} >= 0, <= 1;
set PR{SCEN}, default {};                     # <price> entries
param pr_comm{s in SCEN, i in PR[s]} symbolic in COMM;
param pr_from{s in SCEN, i in PR[s]} integer;
param pr_to{s in SCEN, i in PR[s]} integer;
param pr_price{s in SCEN, i in PR[s]} >= 0;
set DS{SCEN}, default {};                     # <demand-scale> entries
param ds_comm{s in SCEN, i in DS[s]} symbolic, default '*';
param ds_from{s in SCEN, i in DS[s]} integer;
param ds_to{s in SCEN, i in DS[s]} integer;
param ds_scale{s in SCEN, i in DS[s]} >= 0;

check abs(sum{s in SCEN} prob[s] - 1) <= 1e-6;
check{p in FORCED}: not (p in EXCLUDED);

/* ------------------------------------------------------------------ */
/* Derived parameters                                                  */

/* Section 7d: scenario effects (several matching entries multiply) */
param dscale{s in SCEN, c in COMM, y in Y} :=
    prod{i in DS[s]: (ds_comm[s,i] = '*' or ds_comm[s,i] = c)
                     and y >= ds_from[s,i] and y <= ds_to[s,i]} ds_scale[s,i];
param D{s in SCEN, c in COMM, y in Y} := demand[c,y] * dscale[s,c,y];  # D_s
param ascale{s in SCEN, g in PROD, y in Y} :=                         # a_s
    prod{i in XR[s]: xr_country[s,i] = cty[g]
                     and (xr_comm[s,i] = '*' or xr_comm[s,i] = out[g])
                     and y >= xr_from[s,i] and y <= xr_to[s,i]} xr_scale[s,i];
/* project p idles in y of s unless its option carries price support */
param idles{s in SCEN, p in PROJ, y in Y} binary :=
    if p in BREAKEVEN then
        (if exists{i in PR[s]} (pr_comm[s,i] = breakeven_of[p]
            and y >= pr_from[s,i] and y <= pr_to[s,i]
            and pr_price[s,i] < breakeven[p]) then 1 else 0)
    else 0;

/* Section 4: requirement R(c,y) = D(c,y) + sum over c' made from c of
   ratio(c' <- c) R(c',y), per scenario (t/yr) */
set USERS{c in COMM} := setof{(d, c2) in MADE_FROM: c2 = c} d;
set INPUTS_OF{c in COMM} := setof{(c2, d) in MADE_FROM: c2 = c} d;
param R{s in SCEN, c in COMM, y in Y} :=
    D[s,c,y] + sum{d in USERS[c]} recipe[d,c] * R[s,d,y];
param Rkt{s in SCEN, c in COMM, y in Y} := R[s,c,y] / qty_scale;

/* Section 7: S*(c,y), the most weighted exposure serving one tonne of c
   from the chokepoint can cost, by the dearest route: the recipe's or a
   producer's own inputs (per t); section 7b: U(c,y), the most cap slack
   one kt less of c can save (per kt).  The twin needs producer inputs
   without cycles (the C builder lets an edge that closes one add 0). */
param serve{s in SCEN, c in COMM, y in Y} :=
    (if R[s,c,y] > 0 then weight[c] / R[s,c,y] else 0)
    + max(sum{d in INPUTS_OF[c]} recipe[c,d] * serve[s,d,y],
          if card(PROD) = 0 then 0 else
          max{g in PROD} (if out[g] = c
                          then sum{d in COMM: (g, d) in INPUT} inp[g,d] * serve[s,d,y]
                          else 0));
param U{s in SCEN, c in COMM, y in Y} :=
    (if R[s,c,y] > 0 then qty_scale / R[s,c,y] else 0)
    + sum{d in INPUTS_OF[c]} recipe[c,d] * U[s,d,y];

param prisk{g in PROD} := if cty[g] in COUNTRY then risk[cty[g]] else 0;
/* merged balance coefficient: +1 for the output, -in(g,c) for an input */
param coef{g in PROD, c in COMM} :=
    (if out[g] = c and needs_process[g] = '-' then 1 else 0)  # 7i: via v
    - (if (g,c) in INPUT then inp[g,c] else 0);
set TOUCH{c in COMM} := setof{g in PROD: coef[g,c] != 0} g;
set MAKERS{c in COMM} := setof{g in PROD: out[g] = c} g;

/* Section 3: start windows and online years */
param delay{p in PROJ} := (if pending[p] then permit_years[p] else 0) + build_years[p];
param wlo{p in PROJ} := max(if earliest[p] != 0 then earliest[p] else first_year, first_year);
param whi{p in PROJ} := min(if latest[p] != 0 then latest[p] else last_year, last_year);
set START{p in PROJ} := {t in wlo[p] .. whi[p]:
    t + delay[p] <= last_year and not (p in EXCLUDED) and not (p in COMMITTED)
    and no_projects = 0};
/* a committed project is online at its earliest start + lead time (7h) */
param first_online{p in PROJ} :=
    if p in COMMITTED then
        (if wlo[p] + delay[p] <= last_year then wlo[p] + delay[p] else last_year + 1)
    else if card(START[p]) = 0 then last_year + 1 else min{t in START[p]} t + delay[p];
param ulo{u in UPG} := max(if uearliest[u] != 0 then uearliest[u] else first_year, first_year);
param uhi{u in UPG} := min(if ulatest[u] != 0 then ulatest[u] else last_year, last_year);
set USTART{u in UPG} := {t in ulo[u] .. uhi[u]: t + ubuild[u] <= last_year and no_projects = 0};
set STOCK_BUY := {k in STOCK: no_projects = 0 and st_year[k] >= first_year
                              and st_year[k] <= last_year};
param ramp_at{p in PROJ, k in 0 .. last_year - first_year} :=
    if k < nramp[p] then ramp[p,k] else 1;
/* share of a commitment paid in start year + k (empty schedule: all at once) */
param pay{p in PROJ, o in OPT[p], k in 0 .. last_year - first_year} :=
    if nsched[p,o] = 0 then (if k = 0 then 1 else 0)
    else if k < nsched[p,o] then sched[p,o,k] else 0;
param upay{u in UPG, k in 0 .. last_year - first_year} :=
    if unsched[u] = 0 then (if k = 0 then 1 else 0)
    else if k < unsched[u] then usched[u,k] else 0;

/* index sets of the columns (section 5) */
set XS := setof{p in PROJ, o in OPT[p], t in START[p]} (p, o, t);
set ZS := setof{u in UPG, t in USTART[u]} (u, t);
param fig{(p, o, t) in XS, m in 0 .. 3, y in Y}, default 0;
param figtot{(p, o, t) in XS, m in 0 .. 3}, default 0;
param flow{m in 0 .. 3} := if m = 1 or m = 3 then 0 else 1;
param y0{g in PROD} := if g in FAC then first_year else first_online[g];
set QI := setof{g in PROD, y in Y, s in SCEN: y >= y0[g]} (g, y, s);
set SI := setof{c in COMM, y in Y, s in SCEN: D[s,c,y] > 0} (c, y, s);
set RI := setof{k in STOCK_BUY, y in Y, s in SCEN: y >= st_year[k]
                and R[s,st_comm[k],y] > 0 and st_release[k] > 0} (k, y, s);
/* --max-share (section 7b): (commodity, risky country, year, scenario)
   with a production column of that country's in that year */
set CAPI := setof{c in COMM, k in COUNTRY, y in Y, s in SCEN:
    max_share > 0 and risk[k] > 0 and R[s,c,y] > 0
    and exists{g in MAKERS[c]} (cty[g] = k and (g, y, s) in QI)} (c, k, y, s);
set INFRA_KEY := setof{(p, rs) in NEED: site[p] != '-' and card(START[p]) > 0}
                 (site[p], rs);

/* flows of a restricted feed g into a plant h that runs its process
   (section 7i); no flow into a plant that cannot take it */
set VI := setof{g in PROD, (h, t) in RUNS, y in Y, s in SCEN:
    needs_process[g] != '-' and t = needs_process[g] and h != g
    and (h, out[g]) in INPUT and (g, y, s) in QI and (h, y, s) in QI} (g, h, y, s);

param qub{(g, y, s) in QI} :=                    # column bound of q, kt/yr
    (if g in FAC then fcap[g] * avail[g] / qty_scale * (1 - outshare[g,y])
     else if g in COMMITTED then                 # no capacity row (7h)
        pcap[g] / qty_scale * ramp_at[g, y - first_online[g]] * (1 - outshare[g,y])
        * (if idles[s,g,y] then 0 else 1)
     else pcap[g] / qty_scale)
    * ascale[s,g,y];

/* ------------------------------------------------------------------ */
/* Objective coefficients (section 7; 7b; 7d "Stockpiles")             */

/* tie-break normaliser C_max: every project's dearest option, every
   upgrade, every stockpile of the plan (0 in the baseline) */
param cmax := if no_projects then 0 else
    sum{p in PROJ: card(OPT[p]) > 0} max{o in OPT[p]} commit[p,o] + sum{u in UPG} ucost[u]
    + sum{k in STOCK} st_cost[k];
param tb{p in PROJ, o in OPT[p]} := if cmax > 0 then tie_break * commit[p,o] / cmax else 0;
param utb{u in UPG} := if cmax > 0 then tie_break * ucost[u] / cmax else 0;
param stb{k in STOCK} := if cmax > 0 then tie_break * st_cost[k] / cmax else 0;

/* M = 100 max(1, E_max), E_max the exposure with every risky column at its
   bound, the largest over the scenarios (section 7b) */
param emax{s in SCEN} := sum{(g, y, s2) in QI: s2 = s and prisk[g] > 0
    and R[s,out[g],y] > 0} weight[out[g]] * prisk[g] * qub[g,y,s] / Rkt[s,out[g],y];
param bigM := if max_share > 0 then 100 * max(1, max{s in SCEN} emax[s]) else 0;

/* kappa_j: a scenario column's coefficient in its own scenario's value */
param kq{(g, y, s) in QI} :=                       # exposure per kt
    if minmax = 0 and R[s,out[g],y] > 0 and prisk[g] != 0
    then weight[out[g]] * prisk[g] / Rkt[s,out[g],y] else 0;
param ks{(c, y, s) in SI} :=                       # shortage per kt, never
    max(penalty * weight[c] / Rkt[s,c,y],           # below 1.02 S* (7)
        1.02 * serve[s,c,y] * qty_scale + 2e-6)
    + (if max_share > 0 then 2 * bigM * U[s,c,y] else 0);
param kr{(k, y, s) in RI} :=                       # stockpile release
    1.01 * serve[s,st_comm[k],y] * qty_scale + 1e-6;
param ke{(c, k, y, s) in CAPI} := bigM / Rkt[s,c,y];   # missed cap
/* weight of scenario s in the objective: its probability (expected), 0
   under the worst case with two or more scenarios (W carries it) */
param is_worst := if worst_case and card(SCEN) >= 2 then 1 else 0;
param pw{s in SCEN} := if is_worst then 0 else prob[s];
/* min-cost: kappa = tau_tb / max(B, 1e-9) on the exposure */
param goal_scale := if min_cost then tie_break / max(target_base, 1e-9) else 1;

/* ------------------------------------------------------------------ */
/* Section 5: variables                                                */

var x{XS} binary;                     # fund p with option o, start t
var z{ZS} binary;                     # fund upgrade u, start t
var q{(g, y, s) in QI} >= 0, <= qub[g,y,s];          # production, kt/yr
var sh{(c, y, s) in SI} >= 0, <= D[s,c,y] / qty_scale; # shortage, kt/yr
var m{y in Y, s in SCEN: minmax} >= 0;               # weakest stage, min-max
var e{CAPI} >= 0;                                    # production above cap
var w{STOCK_BUY} binary;                             # buy stockpile k
var r{(k, y, s) in RI} >= 0, <= st_release[k] / qty_scale;  # release, kt/yr
var W{i in 1 .. is_worst} >= 0;
var v{VI} >= 0;                                      # restricted feed, kt/yr (7i)                         # the worst scenario's value

/* ------------------------------------------------------------------ */
/* Objective (section 7 and 7d "The measure"; 7c for min-cost)         */

minimize objective:
    (if min_cost then
        sum{(p, o, t) in XS} commit[p,o] / money_scale * x[p,o,t]
      + sum{(u, t) in ZS} ucost[u] / money_scale * z[u,t]
      + sum{k in STOCK_BUY} stb[k] * w[k]
     else
        sum{(p, o, t) in XS} tb[p,o] * x[p,o,t]
      + sum{(u, t) in ZS} utb[u] * z[u,t]
      + sum{k in STOCK_BUY} stb[k] * w[k])
  + goal_scale * (
        sum{(g, y, s) in QI} pw[s] * kq[g,y,s] * q[g,y,s]
      + sum{(c, y, s) in SI} pw[s] * ks[c,y,s] * sh[c,y,s]
      + sum{y in Y, s in SCEN: minmax} pw[s] * m[y,s]
      + sum{(k, y, s) in RI} pw[s] * kr[k,y,s] * r[k,y,s]
      + sum{(c, k, y, s) in CAPI} pw[s] * ke[c,k,y,s] * e[c,k,y,s]
      + sum{i in 1 .. is_worst} W[i]);

/* ------------------------------------------------------------------ */
/* Section 6: rows                                                     */

/* one[p]: at most one (option, start); exactly one when forced */
s.t. one{p in PROJ: card(START[p]) > 0}:
    (if p in FORCED then 1 else 0)
    <= sum{o in OPT[p], t in START[p]} x[p,o,t] <= 1;

/* one_upg[u]: at most one start per upgrade */
s.t. one_upg{u in UPG: card(USTART[u]) > 0}: sum{t in USTART[u]} z[u,t] <= 1;

/* cap[p,y,s]: production up to the ramped capacity of the start online by
   y, scaled by export restrictions; a start whose option has no price
   support gets no capacity in a year its breakeven price idles it (7d) */
s.t. cap{(p, y, s) in QI: p in PROJ and not (p in COMMITTED)}:
    q[p,y,s] - sum{o in OPT[p], t in START[p]: t + delay[p] <= y
                   and (idles[s,p,y] = 0 or instrument[p,o] in PRICE_SUPPORT)}
        pcap[p] / qty_scale * ascale[s,p,y] * ramp_at[p, y - t - delay[p]]
        * (if buyout[p,o] then 1 else 1 - outshare[p,y]) * x[p,o,t]
    <= 0;

/* bal[c,y,s]: production net of inputs + stockpile release + shortage
   covers the final demand (kt/yr); a row only where something enters it */
s.t. bal{c in COMM, y in Y, s in SCEN: (c, y, s) in SI
         or exists{g in TOUCH[c]} ((g, y, s) in QI)
         or exists{k in STOCK_BUY} (st_comm[k] = c and (k, y, s) in RI)}:
    sum{g in TOUCH[c]: (g, y, s) in QI} coef[g,c] * q[g,y,s]
  + (if (c, y, s) in SI then sh[c,y,s] else 0)
  + sum{k in STOCK_BUY: st_comm[k] = c and (k, y, s) in RI} r[k,y,s]
  + sum{(g, h, y2, s2) in VI: out[g] = c and y2 = y and s2 = s} v[g,h,y,s]
  >= D[s,c,y] / qty_scale;

/* feed[g,y,s]: a restricted feed delivers at most what g makes;
   take[h,c,y,s]: a plant takes at most its intake of c from restricted
   feeds (section 7i) */
s.t. feed{g in PROD, y in Y, s in SCEN:
          exists{(g2, h, y2, s2) in VI} (g2 = g and y2 = y and s2 = s)}:
    sum{(g2, h, y2, s2) in VI: g2 = g and y2 = y and s2 = s} v[g,h,y,s] - q[g,y,s] <= 0;
s.t. take{h in PROD, c in COMM, y in Y, s in SCEN:
          exists{(g, h2, y2, s2) in VI} (h2 = h and out[g] = c and y2 = y and s2 = s)}:
    sum{(g, h2, y2, s2) in VI: h2 = h and out[g] = c and y2 = y and s2 = s} v[g,h,y,s]
    - inp[h,c] * q[h,y,s] <= 0;

/* stock_rel[k,y,s] and stock_tot[k,s]: release only a bought stockpile, at
   most L_k a year and H_k over the horizon in each scenario (7d) */
s.t. stock_rel{(k, y, s) in RI}: r[k,y,s] - st_release[k] / qty_scale * w[k] <= 0;
s.t. stock_tot{k in STOCK_BUY, s in SCEN: exists{(k2, y, s2) in RI} (k2 = k and s2 = s)}:
    sum{(k2, y, s2) in RI: k2 = k and s2 = s} r[k,y,s] - st_tonnes[k] / qty_scale * w[k] <= 0;

/* infra[site,res,y]: needs of projects online by y at the site <= the
   existing capacity + upgrades online by y; from the first year some
   needing project can be online */
set AT{(si, rs) in INFRA_KEY} :=                 # projects needing rs at si
    setof{(p, rs2) in NEED: rs2 = rs and site[p] = si} p;
set UAT{(si, rs) in INFRA_KEY} := setof{u in UPG: usite[u] = si and ures[u] = rs} u;
s.t. infra{(si, rs) in INFRA_KEY, y in Y:
           exists{p in AT[si,rs]: not (p in COMMITTED)}
               (need[p,rs] > 0 and first_online[p] <= y)}:
    sum{p in AT[si,rs], o in OPT[p], t in START[p]: t + delay[p] <= y} need[p,rs] * x[p,o,t]
  - sum{u in UAT[si,rs], t in USTART[u]: t + ubuild[u] <= y} uamount[u] * z[u,t]
  <= exist[si,rs]                    /* less what committed projects draw (7h) */
     - sum{p in AT[si,rs]: p in COMMITTED and first_online[p] <= y} need[p,rs];

/* budget[y]: disbursements of year y (by schedule) within its limit;
   under another measure the year's figure of each start */
s.t. budget{y in LIMIT_YEARS}:
    sum{(p, o, t) in XS: t <= y}
        (if bmeasure = 0 then commit[p,o] * pay[p,o,y-t] else fig[p,o,t,bmeasure,y])
        / money_scale * x[p,o,t]
  + flow[bmeasure] * (
      sum{(u, t) in ZS: t <= y} ucost[u] / money_scale * upay[u,y-t] * z[u,t]
    + sum{k in STOCK_BUY: st_year[k] = y} st_cost[k] / money_scale * w[k])
  <= limit[y] / money_scale;

/* budget_total: every commitment, paid past the horizon or not */
s.t. budget_total{i in 1 .. has_total}:
    sum{(p, o, t) in XS}
        (if bmeasure = 0 then commit[p,o] else figtot[p,o,t,bmeasure])
        / money_scale * x[p,o,t]
  + flow[bmeasure] * (
      sum{(u, t) in ZS} ucost[u] / money_scale * z[u,t]
    + sum{k in STOCK_BUY} st_cost[k] / money_scale * w[k])
  <= total_limit / money_scale;

/* fin_cap[m,y], fin_cap_total[m]: the budget's <cap> rows */
s.t. fin_cap{(mm, y) in CAPY}:
    sum{(p, o, t) in XS} fig[p,o,t,mm,y] / money_scale * x[p,o,t]
  + flow[mm] * (
      sum{(u, t) in ZS: t <= y} ucost[u] / money_scale * upay[u,y-t] * z[u,t]
    + sum{k in STOCK_BUY: st_year[k] = y} st_cost[k] / money_scale * w[k])
  <= caplim[mm,y] / money_scale;
s.t. fin_cap_total{mm in CAPT}:
    sum{(p, o, t) in XS} figtot[p,o,t,mm] / money_scale * x[p,o,t]
  + flow[mm] * (
      sum{(u, t) in ZS} ucost[u] / money_scale * z[u,t]
    + sum{k in STOCK_BUY} st_cost[k] / money_scale * w[k])
  <= captot[mm] / money_scale;

/* req[p,q]: p funded only if q is (q without columns: p cannot be) */
set REQ dimen 2;                  # (p, q): p requires q
set EXCL dimen 2;                 # (p, q): p excludes q (either direction)
s.t. req{(p, p2) in REQ: p != p2 and card(START[p]) > 0 and not (p2 in COMMITTED)}:
    sum{o in OPT[p], t in START[p]} x[p,o,t] - sum{o in OPT[p2], t in START[p2]} x[p2,o,t] <= 0;

/* excl[p,q]: not both (one row per unordered pair, both with columns);
   with one of them committed (built anyway, 7h) the other is never funded */
set EXCL_PAIR := setof{(p, p2) in EXCL: p != p2
                       and (card(START[p]) > 0 or p in COMMITTED)
                       and (card(START[p2]) > 0 or p2 in COMMITTED)
                       and not (p in COMMITTED and p2 in COMMITTED)}
                 (if p < p2 then p else p2, if p < p2 then p2 else p);
s.t. excl{(p, p2) in EXCL_PAIR}:
    sum{o in OPT[p], t in START[p]} x[p,o,t] + sum{o in OPT[p2], t in START[p2]} x[p2,o,t]
    <= (if p in COMMITTED or p2 in COMMITTED then 0 else 1);

/* mm[c,y,s]: m[y,s] bounds every weighted stage share (min-max, 7) */
s.t. mm{c in COMM, y in Y, s in SCEN: minmax and R[s,c,y] > 0 and weight[c] > 0}:
    sum{g in MAKERS[c]: (g, y, s) in QI and prisk[g] != 0}
        weight[c] * prisk[g] / Rkt[s,c,y] * q[g,y,s] - m[y,s] <= 0;

/* cap_share[c,k,y,s]: one risky country's production of c at most S of
   the requirement, elastic through e (7b) */
s.t. cap_share{(c, k, y, s) in CAPI}:
    sum{g in MAKERS[c]: cty[g] = k and (g, y, s) in QI} q[g,y,s] - e[c,k,y,s]
    <= max_share * Rkt[s,c,y];

/* worst[s]: W at least every scenario's value V_s (7d, worst case) */
s.t. worst{s in SCEN, i in 1 .. is_worst}:
    sum{(g, y, s2) in QI: s2 = s} kq[g,y,s] * q[g,y,s]
  + sum{(c, y, s2) in SI: s2 = s} ks[c,y,s] * sh[c,y,s]
  + sum{y in Y: minmax} m[y,s]
  + sum{(k, y, s2) in RI: s2 = s} kr[k,y,s] * r[k,y,s]
  + sum{(c, k, y, s2) in CAPI: s2 = s} ke[c,k,y,s] * e[c,k,y,s]
  - W[i] <= 0;

/* goal (7c): the measure (expected value or W) within T x the baseline */
s.t. goal{i in 1 .. min_cost}:
    sum{(g, y, s) in QI} pw[s] * kq[g,y,s] * q[g,y,s]
  + sum{(c, y, s) in SI} pw[s] * ks[c,y,s] * sh[c,y,s]
  + sum{(k, y, s) in RI} pw[s] * kr[k,y,s] * r[k,y,s]
  + sum{j in 1 .. is_worst} W[j]
  <= target * target_base + 1e-9 * max(1, target_base);

solve;

/* ------------------------------------------------------------------ */
/* A short report                                                      */

printf "chokepoint objective %.12g\n", objective;
printf{(p, o, t) in XS: x[p,o,t] > 0.5} "fund %s with %s from %d (online %d)\n",
    p, o, t, t + delay[p];
printf{(u, t) in ZS: z[u,t] > 0.5} "upgrade %s from %d\n", u, t;
printf{k in STOCK_BUY: w[k] > 0.5} "stockpile %s\n", k;
printf{s in SCEN} "scenario %s value %.9g\n", s,
    sum{(g, y, s2) in QI: s2 = s} kq[g,y,s] * q[g,y,s]
  + sum{(c, y, s2) in SI: s2 = s} ks[c,y,s] * sh[c,y,s]
  + sum{y in Y: minmax} m[y,s]
  + sum{(k, y, s2) in RI: s2 = s} kr[k,y,s] * r[k,y,s]
  + sum{(c, k, y, s2) in CAPI: s2 = s} ke[c,k,y,s] * e[c,k,y,s];

end;
