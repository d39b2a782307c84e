import Foundation

extension RuleBook {
    public func incidentCategories(at date: Date = Date()) -> IncidentCategoryList { rules(IncidentCategoryList.self, at: date) }

    /// Use the incident's detection time as `date`: the law in force then governs its reports.
    public func incidentClocks(at date: Date = Date()) -> IncidentClockRules { rules(IncidentClockRules.self, at: date) }

    public func seriousIncidentCriteria(at date: Date = Date()) -> SeriousIncidentCriteria { rules(SeriousIncidentCriteria.self, at: date) }

    public func holidayCalendar(at date: Date = Date()) -> HolidayCalendar { rules(HolidayCalendar.self, at: date) }
}
