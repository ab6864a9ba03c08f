import ExerciseSupport
import Raft

extension Catalog {
    static let ch09 = ChapterExercises(chapter: 9, exercises: [])
}
