ckp_module(input input/plan.c input/plan_feeds.c input/xml_read.c input/xml_tree.c input/xml_records.c input/check.c input/check_records.c input/check_feeds.c input/check_scenarios.c
           input/check_graph.c input/check_terms.c input/hint.c input/terms.c input/xml_terms.c
           input/portfolio_xml.c ${CKP_SCHEMA_C} ${CKP_PORTFOLIO_SCHEMA_C})
target_link_libraries(ckp_input PRIVATE LibXml2::LibXml2)
