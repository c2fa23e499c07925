#pragma once
// The questions sent to both servers: names of every shape the zone has (apex, services,
// SRV names, instances, the dnsd nodes, the _tcp empty non-terminal), names that do not
// exist below the apex, names outside it, in several cases, times every type the zone serves
// and some it does not, with and without EDNS.
#include <string>
#include <vector>

#include "comparison.hpp"
#include "zone_model.hpp"

namespace dnsd::diff {

// Lower-case names with the final dot.
std::vector<std::string> corpus_names(const ZoneModel& model);
// "API.SVC." and "aPi.SvC.": the same name as a resolver using 0x20 would send it.
std::vector<std::string> case_variants(const std::string& name);
// The types asked for every name.
const std::vector<ldns_rr_type>& corpus_types();
// Every query over UDP: names x types x {no EDNS, 512, 1232, 4096}, and the case variants.
std::vector<Query> udp_corpus(const ZoneModel& model);

}  // namespace dnsd::diff
